//! One address per element, the same in the CLI, the app, the index and
//! diffs: the artifact, then the element's path in its file, such as
//! `workflows/expense-approval/steps/convert` or
//! `models/expense/entities/claim/fields/amount`.

use std::fmt;
use std::str::FromStr;

use crate::id::{Id, SecretName};

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Address {
    Workflow(Id),
    Step { workflow: Id, step: Id },
    TestCase { workflow: Id, test: Id },
    Form(Id),
    Component { form: Id, component: Id },
    Model(Id),
    Entity { model: Id, entity: Id },
    Field { model: Id, entity: Id, field: Id },
    Enum { model: Id, name: Id },
    Source(Id),
    Policy(Id),
    Secret(SecretName),
}

impl Address {
    /// What kind of element this is, as a word a person reads: `step`, `field`...
    pub fn kind(&self) -> &'static str {
        match self {
            Address::Workflow(_) => "workflow",
            Address::Step { .. } => "step",
            Address::TestCase { .. } => "test case",
            Address::Form(_) => "form",
            Address::Component { .. } => "component",
            Address::Model(_) => "model",
            Address::Entity { .. } => "entity",
            Address::Field { .. } => "field",
            Address::Enum { .. } => "enum",
            Address::Source(_) => "source",
            Address::Policy(_) => "policy",
            Address::Secret(_) => "secret",
        }
    }

    /// The artifact holding the element (itself for an artifact); `None` for a secret.
    pub fn artifact(&self) -> Option<Address> {
        Some(match self {
            Address::Step { workflow, .. } | Address::TestCase { workflow, .. } => Address::Workflow(workflow.clone()),
            Address::Component { form, .. } => Address::Form(form.clone()),
            Address::Entity { model, .. } | Address::Field { model, .. } | Address::Enum { model, .. } => Address::Model(model.clone()),
            Address::Secret(_) => return None,
            a => a.clone(),
        })
    }

    /// The file the element is written in, relative to the project root.
    pub fn file(&self) -> String {
        match self {
            Address::Workflow(w) | Address::Step { workflow: w, .. } => format!("workflows/{w}/workflow.json"),
            Address::TestCase { workflow, test } => format!("workflows/{workflow}/tests/{test}.json"),
            Address::Form(f) | Address::Component { form: f, .. } => format!("forms/{f}/form.json"),
            Address::Model(m) | Address::Entity { model: m, .. } | Address::Field { model: m, .. } | Address::Enum { model: m, .. } => {
                format!("models/{m}.json")
            }
            Address::Source(s) => format!("sources/{s}.json"),
            Address::Policy(p) => format!("policies/{p}.json"),
            Address::Secret(_) => crate::project::SECRETS_FILE.to_owned(),
        }
    }

    /// The JSON pointer of the element in [`Address::file`], as problems carry it.
    pub fn pointer(&self) -> String {
        match self {
            Address::Step { step, .. } => format!("/steps/{step}"),
            Address::Component { component, .. } => format!("/components/{component}"),
            Address::Entity { entity, .. } => format!("/entities/{entity}"),
            Address::Field { entity, field, .. } => format!("/entities/{entity}/fields/{field}"),
            Address::Enum { name, .. } => format!("/enums/{name}"),
            Address::Secret(s) => format!("/secrets/{s}"),
            _ => String::new(),
        }
    }

    /// The element's own id: the last part of the address.
    pub fn id(&self) -> &str {
        match self {
            Address::Workflow(id) | Address::Form(id) | Address::Model(id) | Address::Source(id) | Address::Policy(id) => id.as_str(),
            Address::Step { step: id, .. }
            | Address::TestCase { test: id, .. }
            | Address::Component { component: id, .. }
            | Address::Entity { entity: id, .. }
            | Address::Field { field: id, .. }
            | Address::Enum { name: id, .. } => id.as_str(),
            Address::Secret(s) => s.as_str(),
        }
    }
}

impl fmt::Display for Address {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Address::Workflow(w) => write!(f, "workflows/{w}"),
            Address::Step { workflow, step } => write!(f, "workflows/{workflow}/steps/{step}"),
            Address::TestCase { workflow, test } => write!(f, "workflows/{workflow}/tests/{test}"),
            Address::Form(id) => write!(f, "forms/{id}"),
            Address::Component { form, component } => write!(f, "forms/{form}/components/{component}"),
            Address::Model(m) => write!(f, "models/{m}"),
            Address::Entity { model, entity } => write!(f, "models/{model}/entities/{entity}"),
            Address::Field { model, entity, field } => write!(f, "models/{model}/entities/{entity}/fields/{field}"),
            Address::Enum { model, name } => write!(f, "models/{model}/enums/{name}"),
            Address::Source(s) => write!(f, "sources/{s}"),
            Address::Policy(p) => write!(f, "policies/{p}"),
            Address::Secret(s) => write!(f, "secrets/{s}"),
        }
    }
}

/// Why a text is not an address; the message shows the forms that are.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{text}` is not an address: {why}. Addresses look like workflows/ID, workflows/ID/steps/STEP, workflows/ID/tests/TEST, forms/ID, forms/ID/components/C, models/ID, models/ID/entities/E, models/ID/entities/E/fields/F, models/ID/enums/N, sources/ID, policies/ID or secrets/NAME")]
pub struct AddressError {
    pub text: String,
    pub why: String,
}

impl FromStr for Address {
    type Err = AddressError;

    fn from_str(text: &str) -> Result<Address, AddressError> {
        let fail = |why: String| AddressError { text: text.to_owned(), why };
        let trimmed = text.trim_end_matches('/');
        let parts: Vec<&str> = trimmed.split('/').collect();
        let id = |s: &str| Id::new(s).map_err(|e| fail(e.to_string()));
        Ok(match parts.as_slice() {
            ["workflows", w] => Address::Workflow(id(w)?),
            ["workflows", w, "steps", s] => Address::Step { workflow: id(w)?, step: id(s)? },
            ["workflows", w, "tests", t] => Address::TestCase { workflow: id(w)?, test: id(t)? },
            ["forms", f] => Address::Form(id(f)?),
            ["forms", f, "components", c] => Address::Component { form: id(f)?, component: id(c)? },
            ["models", m] => Address::Model(id(m)?),
            ["models", m, "entities", e] => Address::Entity { model: id(m)?, entity: id(e)? },
            ["models", m, "entities", e, "fields", x] => Address::Field { model: id(m)?, entity: id(e)?, field: id(x)? },
            ["models", m, "enums", n] => Address::Enum { model: id(m)?, name: id(n)? },
            ["sources", s] => Address::Source(id(s)?),
            ["policies", p] => Address::Policy(id(p)?),
            ["secrets", s] => Address::Secret(SecretName::new(*s).map_err(|e| fail(e.to_string()))?),
            _ => return Err(fail("its parts are not those of any element".to_owned())),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_address_reads_back_as_written() {
        for text in [
            "workflows/expense-approval",
            "workflows/expense-approval/steps/convert",
            "workflows/expense-approval/tests/small-claim",
            "forms/expense-claim",
            "forms/expense-claim/components/amount",
            "models/expense",
            "models/expense/entities/claim",
            "models/expense/entities/claim/fields/amount",
            "models/expense/enums/currency",
            "sources/fx-rates",
            "policies/governance",
            "secrets/FX_API_KEY",
        ] {
            let a: Address = text.parse().unwrap();
            assert_eq!(a.to_string(), text);
        }
    }

    #[test]
    fn a_wrong_address_says_why() {
        let e = "workflows/Bad Id/steps/x".parse::<Address>().unwrap_err();
        assert!(e.to_string().contains("`workflows/Bad Id/steps/x` is not an address"), "{e}");
        assert!("models/m/fields/f".parse::<Address>().is_err());
        assert!("".parse::<Address>().is_err());
        assert!("workflows/../etc".parse::<Address>().is_err());
    }
}
