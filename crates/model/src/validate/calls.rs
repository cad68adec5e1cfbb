//! An `api_call` against the operations its source lists (from an OpenAPI
//! description): the method and path must be one of them, with the
//! required query parameters, headers and body.

use crate::problem::{Problem, ProblemCode};
use crate::project::Project;
use crate::source::{query_names, BodyUse, ParameterLocation};
use crate::workflow::Step;
use crate::Id;

pub(super) fn check(project: &Project, file: &str, sid: &Id, step: &Step, problems: &mut Vec<Problem>) {
    let Step::ApiCall(a) = step else { return };
    let Some(source) = project.sources.get(&a.source) else { return };
    if source.operations.is_empty() {
        return;
    }
    let at = |p: &'static str| ["steps", sid.as_str(), p];
    let Some((op_id, op)) = source.operation_for(a.method, &a.path) else {
        let offered: Vec<String> = source.operations.values().take(8).map(|o| format!("{} {}", o.method.as_str(), o.path)).collect();
        problems.push(
            Problem::error(
                file,
                ProblemCode::UnknownOperation,
                format!(
                    "`{} {}` is not an operation of source `{}` (sources/{}.json); it offers {}{}",
                    a.method.as_str(),
                    a.path.split('?').next().unwrap_or(""),
                    a.source,
                    a.source,
                    offered.join(", "),
                    if source.operations.len() > 8 { ", ..." } else { "" }
                ),
            )
            .at(&at("path")),
        );
        return;
    };
    let query = query_names(&a.path);
    let has_header = |name: &str| {
        a.headers.keys().chain(source.headers.keys()).any(|h| h.eq_ignore_ascii_case(name))
            || matches!(&source.auth, crate::source::Auth::ApiKey { header, .. } if header.eq_ignore_ascii_case(name))
            || (name.eq_ignore_ascii_case("authorization") && source.auth.secret().is_some())
    };
    for p in op.parameters.iter().filter(|p| p.required) {
        let (missing, place) = match p.location {
            ParameterLocation::Query => (!query.contains(&p.name.as_str()), "path"),
            ParameterLocation::Header => (!has_header(&p.name), "headers"),
            ParameterLocation::Path => (false, "path"),
        };
        if missing {
            let what = if p.location == ParameterLocation::Query { "query parameter" } else { "header" };
            problems.push(
                Problem::error(file, ProblemCode::MissingParameter, format!("operation `{op_id}` needs the {what} `{}`", p.name))
                    .at(&at(place)),
            );
        }
    }
    if op.body == BodyUse::Required && a.body.is_none() {
        problems
            .push(Problem::error(file, ProblemCode::MissingParameter, format!("operation `{op_id}` needs a request body")).at(&at("body")));
    }
}
