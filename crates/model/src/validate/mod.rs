//! Checks across a whole project: the graph of each workflow, references between
//! artifacts, and the project's governance policies. Reports every problem.
//! Data models are checked in `models`, forms and their bindings in `forms`.

use crate::problem::ProblemCode;
use std::collections::{BTreeSet, VecDeque};

use crate::assemble::Assembled;
use crate::id::Id;
use crate::manifest::{ArtifactKind, ArtifactRef};
use crate::policy::Check;
use crate::problem::Problem;
use crate::project::{Project, WorkflowBundle, MANIFEST_FILE};
use crate::workflow::{ErrorPolicy, Step, Trigger};

/// Every problem of an assembled project: what reading found, then the checks
/// across artifacts. Sorted by file, then position, for stable output.
pub fn validate(assembled: &Assembled) -> Vec<Problem> {
    let mut problems = assembled.problems.clone();
    let cx = Cx { project: &assembled.project, broken: &assembled.broken };
    if assembled.manifest_ok {
        cx.manifest(&mut problems);
    }
    for (id, w) in &assembled.project.workflows {
        cx.workflow(id, w, &mut problems);
    }
    for (id, f) in &assembled.project.forms {
        cx.form(id, f, &mut problems);
    }
    models::models(&assembled.project, &mut problems);
    cx.unfilled_required(&mut problems);
    for (id, s) in &assembled.project.sources {
        let file = format!("sources/{id}.json");
        if !(s.base_url.starts_with("https://") || s.base_url.starts_with("http://")) {
            problems.push(
                Problem::error(&file, ProblemCode::BadUrl, format!("base_url `{}` must start with https:// or http://", s.base_url))
                    .at(&["base_url"]),
            );
        }
        if let Some(secret) = s.auth.secret() {
            let declared = assembled.project.secrets.as_ref().is_some_and(|d| d.secrets.contains_key(secret));
            if !declared {
                problems.push(
                    Problem::error(
                        &file,
                        ProblemCode::UndeclaredSecret,
                        format!("secret `{secret}` is not declared in secrets.required.json"),
                    )
                    .at(&["auth", "secret"]),
                );
            }
        }
    }
    cx.policies(&mut problems);
    problems.sort();
    problems.dedup();
    problems
}

mod calls;
mod control;
mod forms;
mod models;

struct Cx<'a> {
    project: &'a Project,
    broken: &'a std::collections::BTreeSet<ArtifactRef>,
}

impl Cx<'_> {
    fn exists(&self, kind: ArtifactKind, id: &Id) -> bool {
        let p = self.project;
        let broken = self.broken.contains(&ArtifactRef { kind, id: id.clone() });
        broken
            || match kind {
                ArtifactKind::Workflow => p.workflows.contains_key(id),
                ArtifactKind::Form => p.forms.contains_key(id),
                ArtifactKind::Model => p.models.contains_key(id),
                ArtifactKind::Source => p.sources.contains_key(id),
                ArtifactKind::Policy => p.policies.contains_key(id),
            }
    }

    fn manifest(&self, problems: &mut Vec<Problem>) {
        // A project may lower the sandbox's limits, never lift them: 0 is not
        // "no limit", and asking above this machine's maxima gets the maxima.
        let s = &self.project.manifest.settings.preview;
        let d = crate::manifest::PreviewSettings::default();
        let limits = [
            ("script_timeout_ms", s.script_timeout_ms, d.script_timeout_ms),
            ("script_memory_mb", s.script_memory_mb, d.script_memory_mb),
            ("script_loop_iterations", s.script_loop_iterations, d.script_loop_iterations),
            ("script_recursion", u64::from(s.script_recursion), u64::from(d.script_recursion)),
        ];
        for (name, value, default) in limits {
            let at = ["settings", "preview", name];
            if value == 0 {
                problems.push(
                    Problem::warning(
                        MANIFEST_FILE,
                        ProblemCode::LimitZero,
                        format!("{name} 0 does not remove the limit; the machine's maximum applies"),
                    )
                    .at(&at),
                );
            } else if value > default {
                problems.push(
                    Problem::warning(
                        MANIFEST_FILE,
                        ProblemCode::LimitAboveDefault,
                        format!("{name} {value} is above the default {default}; each machine applies at most its own maximum ({default} unless its settings allow more)"),
                    )
                    .at(&at),
                );
            }
        }
        for (r, info) in &self.project.manifest.artifacts {
            if !self.exists(r.kind, &r.id) {
                problems.push(
                    Problem::error(MANIFEST_FILE, ProblemCode::MissingArtifact, format!("{} `{}` does not exist", r.kind.as_str(), r.id))
                        .at(&["artifacts", &r.to_string()]),
                );
            }
            for (i, d) in info.depends_on.iter().enumerate() {
                if !self.exists(d.kind, &d.id) {
                    problems.push(
                        Problem::error(
                            MANIFEST_FILE,
                            ProblemCode::MissingArtifact,
                            format!("depends on {} `{}`, which does not exist", d.kind.as_str(), d.id),
                        )
                        .at(&["artifacts", &r.to_string(), "depends_on", &i.to_string()]),
                    );
                }
            }
        }
    }

    fn workflow(&self, id: &Id, bundle: &WorkflowBundle, problems: &mut Vec<Problem>) {
        let w = &bundle.workflow;
        let file = format!("workflows/{id}/workflow.json");
        let missing_step = |target: &Id| format!("transition to step `{target}`, which does not exist");

        for (i, t) in w.triggers.iter().enumerate() {
            let at = |k: &str| vec!["triggers".to_owned(), i.to_string(), k.to_owned()];
            match t {
                Trigger::FormSubmit { form } if !self.exists(ArtifactKind::Form, form) => {
                    problems.push(Problem::error(&file, ProblemCode::MissingForm, format!("form `{form}` does not exist")).at(&at("form")))
                }
                Trigger::Schedule { cron, .. } if cron.split_whitespace().count() != 5 => problems.push(
                    Problem::error(
                        &file,
                        ProblemCode::BadCron,
                        format!("`{cron}` is not a five-field cron expression (minute hour day month weekday)"),
                    )
                    .at(&at("cron")),
                ),
                Trigger::Webhook { path, .. } if !path.starts_with('/') => problems.push(
                    Problem::error(&file, ProblemCode::BadPath, format!("webhook path `{path}` must start with `/`")).at(&at("path")),
                ),
                _ => {}
            }
        }

        if !w.steps.contains_key(&w.start) {
            problems
                .push(Problem::error(&file, ProblemCode::MissingStep, format!("start step `{}` does not exist", w.start)).at(&["start"]));
        }
        if let Some(policy) = &w.on_error {
            self.error_policy(&file, &["on_error"], policy, w, problems);
        }
        for (sid, step) in &w.steps {
            for t in step.transitions() {
                if !w.steps.contains_key(t.target) {
                    let mut at = vec!["steps".to_owned(), sid.to_string()];
                    at.extend(t.property.iter().cloned());
                    problems.push(Problem::error(&file, ProblemCode::MissingStep, missing_step(t.target)).at(&at));
                }
            }
            if let Some(policy) = step.on_error() {
                if let ErrorPolicy::Retry { then: Some(then), .. } = policy {
                    if matches!(**then, ErrorPolicy::Retry { .. }) {
                        problems.push(
                            Problem::error(&file, ProblemCode::BadErrorPolicy, "a retry's `then` cannot be another retry").at(&[
                                "steps",
                                sid.as_str(),
                                "on_error",
                                "then",
                            ]),
                        );
                    }
                }
                if let ErrorPolicy::Retry { max_attempts: 0, .. } = policy {
                    problems.push(Problem::error(&file, ProblemCode::BadErrorPolicy, "max_attempts must be at least 1").at(&[
                        "steps",
                        sid.as_str(),
                        "on_error",
                        "max_attempts",
                    ]));
                }
            }
            let kind = step.kind();
            let dead_end = match step {
                _ if kind.has_next() => step.next().is_none(),
                Step::Condition(c) => c.branches.is_empty() && c.otherwise.is_none(),
                Step::Parallel(p) => p.branches.is_empty(),
                _ => false,
            };
            let branches: Vec<bool> = match step {
                Step::Condition(c) => c.branches.iter().map(|b| b.next.is_some()).collect(),
                Step::Parallel(p) => p.branches.iter().map(|b| b.next.is_some()).collect(),
                _ => Vec::new(),
            };
            // Exits not connected yet: the design saves, and says what is missing.
            let dangling: Vec<(Vec<String>, &str)> = match step {
                Step::Approval(a) => {
                    [("next_if_approved", &a.next_if_approved, "approved"), ("next_if_rejected", &a.next_if_rejected, "rejected")]
                        .into_iter()
                        .filter(|(_, n, _)| n.is_none())
                        .map(|(p, _, what)| (vec!["steps".to_owned(), sid.to_string(), p.to_owned()], what))
                        .collect()
                }
                _ => branches
                    .iter()
                    .enumerate()
                    .filter(|(_, connected)| !**connected)
                    .map(|(i, _)| {
                        (vec!["steps".to_owned(), sid.to_string(), "branches".to_owned(), i.to_string(), "next".to_owned()], "branch")
                    })
                    .collect(),
            };
            for (at, what) in dangling {
                let at: Vec<&str> = at.iter().map(String::as_str).collect();
                problems.push(
                    Problem::error(
                        &file,
                        ProblemCode::DanglingExit,
                        format!("the {what} exit of {} step `{sid}` leads nowhere; connect it to a step", kind.as_str()),
                    )
                    .at(&at),
                );
            }
            calls::check(self.project, &file, sid, step, problems);
            if let Step::DataTransform(c) | Step::CustomCode(c) = step {
                if let Some(what) = &c.unfinished {
                    problems.push(Problem::warning(&file, ProblemCode::Unfinished, format!("step `{sid}` is not finished: {what}")).at(&[
                        "steps",
                        sid.as_str(),
                        "unfinished",
                    ]));
                }
            }
            if dead_end {
                problems.push(
                    Problem::error(
                        &file,
                        ProblemCode::DeadEnd,
                        format!("{} step has no next step; connect it or use an `end` step", kind.as_str()),
                    )
                    .at(&["steps", sid.as_str()]),
                );
            }
            match step {
                Step::ApiCall(a) if !self.exists(ArtifactKind::Source, &a.source) => problems.push(
                    Problem::error(
                        &file,
                        ProblemCode::MissingSource,
                        format!("source `{}` does not exist (no sources/{}.json)", a.source, a.source),
                    )
                    .at(&["steps", sid.as_str(), "source"]),
                ),
                Step::Condition(c) => {
                    for (i, b) in c.branches.iter().enumerate() {
                        if b.when.trim().is_empty() {
                            problems.push(Problem::error(&file, ProblemCode::EmptyCondition, "a branch needs a `when` expression").at(&[
                                "steps",
                                sid.as_str(),
                                "branches",
                                &i.to_string(),
                                "when",
                            ]));
                        }
                    }
                }
                _ => {}
            }
            if kind.has_script() && !bundle.scripts.contains_key(sid) {
                problems.push(
                    Problem::error(
                        &file,
                        ProblemCode::MissingScript,
                        format!("{} step needs its code in workflows/{id}/steps/{sid}.js", kind.as_str()),
                    )
                    .at(&["steps", sid.as_str()]),
                );
            }
        }

        self.control_steps(id, w, problems);

        // Reachability from the start, error routes included.
        if w.steps.contains_key(&w.start) {
            let mut seen = BTreeSet::from([&w.start]);
            let mut queue = VecDeque::from([&w.start]);
            while let Some(s) = queue.pop_front() {
                let routes = w.on_error.iter().flat_map(|p| p.routes()).map(|(_, t)| t);
                let exits = w.steps[s].transitions().into_iter().map(|t| t.target).chain(routes);
                for t in exits {
                    if w.steps.contains_key(t) && seen.insert(t) {
                        queue.push_back(t);
                    }
                }
            }
            for sid in w.steps.keys().filter(|s| !seen.contains(s)) {
                problems.push(
                    Problem::error(
                        &file,
                        ProblemCode::UnreachableStep,
                        format!("step `{sid}` cannot be reached from the start step `{}`", w.start),
                    )
                    .at(&["steps", sid.as_str()]),
                );
            }
        }

        for (sid, _) in bundle.scripts.iter().filter(|(s, _)| !w.steps.get(*s).is_some_and(|st| st.kind().has_script())) {
            problems.push(Problem::warning(
                format!("workflows/{id}/steps/{sid}.js"),
                ProblemCode::OrphanScript,
                format!("no data_transform or custom_code step `{sid}` uses this script"),
            ));
        }
        for sid in bundle.layout.nodes.keys().filter(|s| !w.steps.contains_key(*s)) {
            problems.push(
                Problem::warning(format!("workflows/{id}/layout.json"), ProblemCode::OrphanNode, format!("step `{sid}` does not exist"))
                    .at(&["nodes", sid.as_str()]),
            );
        }
        for (case, t) in &bundle.tests {
            let tfile = format!("workflows/{id}/tests/{case}.json");
            let approvals = self.approval_steps(id);
            for sid in t.approvals.keys() {
                if !approvals.contains(sid) {
                    problems.push(
                        Problem::error(
                            &tfile,
                            ProblemCode::MissingStep,
                            format!("`{sid}` is not an approval step of workflow `{id}` or of a workflow it calls"),
                        )
                        .at(&["approvals", sid.as_str()]),
                    );
                }
            }
            if let Some(end) = t.expect.as_ref().and_then(|e| e.end_step.as_ref()) {
                if !matches!(w.steps.get(end), Some(Step::End(_))) {
                    problems.push(
                        Problem::error(&tfile, ProblemCode::MissingStep, format!("`{end}` is not an end step of workflow `{id}`"))
                            .at(&["expect", "end_step"]),
                    );
                }
            }
        }
    }

    fn error_policy(&self, file: &str, at: &[&str], policy: &ErrorPolicy, w: &crate::workflow::Workflow, problems: &mut Vec<Problem>) {
        for (prop, target) in policy.routes() {
            if !w.steps.contains_key(target) {
                let mut path: Vec<String> = at.iter().map(|s| s.to_string()).collect();
                path.extend(prop);
                problems.push(
                    Problem::error(file, ProblemCode::MissingStep, format!("error route to step `{target}`, which does not exist"))
                        .at(&path),
                );
            }
        }
    }

    fn policies(&self, problems: &mut Vec<Problem>) {
        let p = self.project;
        for (pid, policy) in &p.policies {
            for (rid, rule) in &policy.rules {
                let severity = rule.severity.severity();
                let mut report = |file: String, at: Vec<String>, msg: String| {
                    let mut problem = Problem::error(file, ProblemCode::Policy, format!("{msg} (policy `{pid}`, rule `{rid}`)")).at(&at);
                    problem.severity = severity;
                    problems.push(problem);
                };
                for (wid, w) in &p.workflows {
                    let file = format!("workflows/{wid}/workflow.json");
                    match &rule.check {
                        Check::RequireErrorPolicy {} if w.workflow.on_error.is_none() => {
                            report(file, vec![], "the workflow has no `on_error` policy".into())
                        }
                        Check::RequireTestCase {} if w.tests.is_empty() => {
                            report(file, vec![], format!("the workflow has no test case in workflows/{wid}/tests/"))
                        }
                        Check::MaxSteps { limit } if w.workflow.steps.len() > *limit as usize => report(
                            file,
                            vec!["steps".into()],
                            format!("the workflow has {} steps; at most {limit} are allowed", w.workflow.steps.len()),
                        ),
                        Check::RequireApprovalWithApiCalls {} => {
                            let steps = w.workflow.steps.values();
                            let calls = steps.clone().any(|s| matches!(s, Step::ApiCall(_)));
                            let approves = steps.clone().any(|s| matches!(s, Step::Approval(_)));
                            if calls && !approves {
                                report(file, vec![], "the workflow calls an API but has no approval step".into());
                            }
                        }
                        _ => {}
                    }
                }
                if let Check::AllowedHosts { hosts } = &rule.check {
                    for (sid, s) in &p.sources {
                        let host = url_host(&s.base_url);
                        if !hosts.iter().any(|h| h == host) {
                            report(format!("sources/{sid}.json"), vec!["base_url".into()], format!("host `{host}` is not an allowed host"));
                        }
                    }
                }
            }
        }
    }
}

/// The host of a URL: `https://api.example.com:8443/x` → `api.example.com`.
pub fn url_host(url: &str) -> &str {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    host_port.split(':').next().unwrap_or("")
}
