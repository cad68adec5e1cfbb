//! The project's governance rules as the designers show them: what each rule
//! asks, what it applies to, and which files break it now.

use atelier_model::policy::Check;
use atelier_model::problem::ProblemCode;
use atelier_model::{Problem, Project, Severity};
use serde::Serialize;
use ts_rs::TS;

/// One rule of one policy.
#[derive(Debug, Clone, Serialize, TS)]
pub struct GovernanceRule {
    /// `policies/<id>`.
    pub policy: String,
    pub policy_name: String,
    pub rule: String,
    pub description: String,
    pub severity: Severity,
    /// `workflows` or `sources`.
    pub applies_to: String,
    /// What it asks, as a sentence.
    pub asks: String,
    /// The files that break it now.
    pub broken_by: Vec<String>,
}

fn asks(check: &Check) -> (&'static str, String) {
    match check {
        Check::RequireErrorPolicy {} => ("workflows", "every workflow declares an error policy (on_error)".to_owned()),
        Check::RequireTestCase {} => ("workflows", "every workflow has a test case".to_owned()),
        Check::MaxSteps { limit } => ("workflows", format!("a workflow has at most {limit} steps")),
        Check::AllowedHosts { hosts } => ("sources", format!("sources call only {}", hosts.join(", "))),
        Check::RequireApprovalWithApiCalls {} => ("workflows", "a workflow that calls an API has an approval step".to_owned()),
    }
}

/// Every rule, with the files whose problems name it.
pub(crate) fn rules(project: &Project, problems: &[Problem]) -> Vec<GovernanceRule> {
    let mut out = Vec::new();
    for (pid, policy) in &project.policies {
        for (rid, rule) in &policy.rules {
            // Validation names the rule in each problem it reports for it.
            let tag = format!("(policy `{pid}`, rule `{rid}`)");
            let mut broken_by: Vec<String> =
                problems.iter().filter(|p| p.code == ProblemCode::Policy && p.message.ends_with(&tag)).map(|p| p.file.clone()).collect();
            broken_by.dedup();
            let (applies_to, asks) = asks(&rule.check);
            out.push(GovernanceRule {
                policy: format!("policies/{pid}"),
                policy_name: policy.name.clone(),
                rule: rid.to_string(),
                description: rule.description.clone(),
                severity: rule.severity.severity(),
                applies_to: applies_to.to_owned(),
                asks,
                broken_by,
            });
        }
    }
    out
}
