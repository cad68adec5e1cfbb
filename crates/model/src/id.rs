//! Identifiers: human slugs that are also file names, so they are checked
//! before they can reach a path.

use std::borrow::Cow;
use std::fmt;

use schemars::{json_schema, JsonSchema, Schema, SchemaGenerator};
use serde::{de, Deserialize, Deserializer, Serialize};

/// The longest id we accept; ids become file and directory names.
pub const MAX_ID_LEN: usize = 64;

/// A stable, human-chosen identifier such as `check-amount`:
/// `[a-z0-9][a-z0-9-]*`, at most 64 characters. Chosen once, never regenerated.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, ts_rs::TS)]
#[serde(transparent)]
#[ts(type = "string")]
pub struct Id(String);

/// Why a string is not a valid [`Id`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdError {
    #[error("an id cannot be empty")]
    Empty,
    #[error("id `{0}` is longer than {MAX_ID_LEN} characters")]
    TooLong(String),
    #[error("id `{0}` must start with a lowercase letter or digit and contain only lowercase letters, digits and `-`")]
    BadCharacters(String),
}

impl Id {
    /// Checks `s` and wraps it.
    pub fn new(s: impl Into<String>) -> Result<Id, IdError> {
        let s = s.into();
        check_slug(&s)?;
        Ok(Id(s))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

fn check_slug(s: &str) -> Result<(), IdError> {
    let shown = || s.chars().take(80).collect::<String>();
    let mut chars = s.chars();
    match chars.next() {
        None => return Err(IdError::Empty),
        Some(c) if c.is_ascii_lowercase() || c.is_ascii_digit() => {}
        Some(_) => return Err(IdError::BadCharacters(shown())),
    }
    if !chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-') {
        return Err(IdError::BadCharacters(shown()));
    }
    if s.len() > MAX_ID_LEN {
        return Err(IdError::TooLong(shown()));
    }
    Ok(())
}

impl fmt::Display for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for Id {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl std::str::FromStr for Id {
    type Err = IdError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Id::new(s)
    }
}

impl<'de> Deserialize<'de> for Id {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Id::new(s).map_err(de::Error::custom)
    }
}

/// For an optional step reference (`next_if_approved`, a branch's `next`):
/// an empty string is "not connected yet", the same as leaving it out, so an
/// unfinished design always reads and saves.
pub fn empty_as_none<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Id>, D::Error> {
    match Option::<String>::deserialize(d)? {
        None => Ok(None),
        Some(s) if s.is_empty() => Ok(None),
        Some(s) => Id::new(s).map(Some).map_err(de::Error::custom),
    }
}

impl JsonSchema for Id {
    fn schema_name() -> Cow<'static, str> {
        "Id".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "pattern": "^[a-z0-9][a-z0-9-]*$",
            "maxLength": MAX_ID_LEN,
            "description": "A stable slug: lowercase letters, digits and dashes."
        })
    }
}

/// The name of a secret held outside the repository, such as `FX_API_KEY`:
/// `[A-Z][A-Z0-9_]*`. Design files name secrets; they never hold them.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, ts_rs::TS)]
#[serde(transparent)]
#[ts(type = "string")]
pub struct SecretName(String);

impl SecretName {
    pub fn new(s: impl Into<String>) -> Result<SecretName, String> {
        let s = s.into();
        if is_secret_name(&s) {
            Ok(SecretName(s))
        } else {
            Err(format!(
                "secret name `{}` must be upper case letters, digits and `_`, starting with a letter",
                s.chars().take(80).collect::<String>()
            ))
        }
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// True for strings shaped like a secret's name (`FX_API_KEY`), as opposed to its value.
pub fn is_secret_name(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_uppercase())
        && chars.all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
        && s.len() <= 128
}

impl fmt::Display for SecretName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for SecretName {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        SecretName::new(s).map_err(de::Error::custom)
    }
}

impl JsonSchema for SecretName {
    fn schema_name() -> Cow<'static, str> {
        "SecretName".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "pattern": "^[A-Z][A-Z0-9_]*$",
            "description": "The name of a secret held outside the repository."
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_slugs() {
        for ok in ["a", "check-amount", "0", "step-12", "a-"] {
            assert!(Id::new(ok).is_ok(), "{ok}");
        }
    }

    #[test]
    fn rejects_paths_and_odd_characters() {
        for bad in ["", "../etc", "a/b", "A", "-a", "a b", "a.json", "é", ".", "a\u{0}"] {
            assert!(Id::new(bad).is_err(), "{bad:?}");
        }
        assert_eq!(Id::new("x".repeat(65)).unwrap_err(), IdError::TooLong("x".repeat(65)));
    }

    #[test]
    fn secret_names() {
        assert!(is_secret_name("FX_API_KEY"));
        assert!(!is_secret_name("fx"));
        assert!(!is_secret_name("_X"));
        assert!(!is_secret_name("sk_live_123"));
    }
}
