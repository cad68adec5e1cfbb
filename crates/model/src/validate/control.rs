//! Checks of the control-flow steps: the workflows `for_each` and
//! `sub_workflow` call (they exist, and no chain of calls comes back to where
//! it started), a `parallel` step's join (a join step, reached by every
//! branch, shared with no other split), a `wait`'s one setting, a
//! `for_each`'s items and limit.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use super::Cx;
use crate::control::MAX_FOR_EACH_ITEMS;
use crate::id::Id;
use crate::manifest::ArtifactKind;
use crate::problem::{Problem, ProblemCode};
use crate::workflow::{Step, Workflow};

impl Cx<'_> {
    pub(super) fn control_steps(&self, id: &Id, w: &Workflow, problems: &mut Vec<Problem>) {
        let file = format!("workflows/{id}/workflow.json");
        let mut joins: BTreeMap<&Id, Vec<&Id>> = BTreeMap::new();
        for (sid, step) in &w.steps {
            let at = |k: &'static str| vec!["steps", sid.as_str(), k];
            if let Some(called) = step.calls() {
                if !self.exists(ArtifactKind::Workflow, called) {
                    problems.push(
                        Problem::error(&file, ProblemCode::MissingWorkflow, format!("workflow `{called}` does not exist"))
                            .at(&at("workflow")),
                    );
                } else if let Some(cycle) = self.call_cycle(id, called) {
                    problems.push(
                        Problem::error(&file, ProblemCode::CallCycle, format!("calls go round in a circle: {}", cycle.join(" → ")))
                            .at(&at("workflow")),
                    );
                }
            }
            if matches!(step, Step::ForEach(_) | Step::SubWorkflow(_)) && step.calls().is_none() {
                problems.push(
                    Problem::error(
                        &file,
                        ProblemCode::MissingWorkflow,
                        format!("{} step needs the workflow it runs", step.kind().as_str()),
                    )
                    .at(&["steps", sid.as_str()]),
                );
            }
            match step {
                Step::ForEach(f) => {
                    if f.items.trim().is_empty() {
                        problems.push(
                            Problem::error(&file, ProblemCode::EmptyItems, "a for_each needs an `items` expression, e.g. `input.lines`")
                                .at(&at("items")),
                        );
                    }
                    match f.max_items {
                        Some(0) => problems
                            .push(Problem::error(&file, ProblemCode::LimitZero, "max_items must be at least 1").at(&at("max_items"))),
                        Some(n) if n > MAX_FOR_EACH_ITEMS => problems.push(
                            Problem::error(
                                &file,
                                ProblemCode::LimitAboveDefault,
                                format!("max_items {n} is above the preview's limit of {MAX_FOR_EACH_ITEMS}; a design may only lower it"),
                            )
                            .at(&at("max_items")),
                        ),
                        _ => {}
                    }
                }
                Step::Wait(wt) if wt.duration_ms.is_some() == wt.until.is_some() => problems.push(
                    Problem::error(&file, ProblemCode::BadWait, "a wait step needs either `duration_ms` or `until`, not both")
                        .at(&["steps", sid.as_str()]),
                ),
                Step::Parallel(p) => {
                    let Some(join) = &p.join else {
                        problems.push(
                            Problem::error(
                                &file,
                                ProblemCode::DanglingExit,
                                "a parallel step needs a join step: choose where its branches meet",
                            )
                            .at(&["steps", sid.as_str()]),
                        );
                        continue;
                    };
                    joins.entry(join).or_default().push(sid);
                    match w.steps.get(join) {
                        None => problems.push(
                            Problem::error(&file, ProblemCode::MissingStep, format!("join step `{join}` does not exist")).at(&at("join")),
                        ),
                        Some(Step::Join(_)) => {
                            for (i, b) in p.branches.iter().enumerate() {
                                let Some(first) = &b.next else { continue };
                                if !reaches(w, first, join) {
                                    let label = if b.label.is_empty() { format!("branch {}", i + 1) } else { b.label.clone() };
                                    problems.push(
                                        Problem::error(
                                            &file,
                                            ProblemCode::BadJoin,
                                            format!("branch `{label}` never reaches the join `{join}`"),
                                        )
                                        .at(&[
                                            "steps",
                                            sid.as_str(),
                                            "branches",
                                            &i.to_string(),
                                            "next",
                                        ]),
                                    );
                                }
                            }
                        }
                        Some(other) => problems.push(
                            Problem::error(
                                &file,
                                ProblemCode::BadJoin,
                                format!("`{join}` is a {} step; a parallel step's join must be a join step", other.kind().as_str()),
                            )
                            .at(&at("join")),
                        ),
                    }
                }
                _ => {}
            }
        }
        for (sid, step) in &w.steps {
            if !matches!(step, Step::Join(_)) {
                continue;
            }
            match joins.get(sid).map(Vec::as_slice) {
                None | Some([]) => problems.push(
                    Problem::error(&file, ProblemCode::BadJoin, format!("no parallel step names `{sid}` as its join"))
                        .at(&["steps", sid.as_str()]),
                ),
                Some([_]) => {}
                Some(splits) => problems.push(
                    Problem::error(
                        &file,
                        ProblemCode::BadJoin,
                        format!(
                            "parallel steps {} share the join `{sid}`; give each its own",
                            splits.iter().map(|s| format!("`{s}`")).collect::<Vec<_>>().join(", ")
                        ),
                    )
                    .at(&["steps", sid.as_str()]),
                ),
            }
        }
    }

    /// The approval steps of workflow `id` and of every workflow it calls,
    /// however deep: a test case decides them all.
    pub(super) fn approval_steps(&self, id: &Id) -> BTreeSet<&Id> {
        let mut out = BTreeSet::new();
        let mut seen = BTreeSet::from([id]);
        let mut queue = VecDeque::from([id]);
        while let Some(w) = queue.pop_front() {
            let Some(b) = self.project.workflows.get(w) else { continue };
            for (sid, step) in &b.workflow.steps {
                if matches!(step, Step::Approval(_)) {
                    out.insert(sid);
                }
                if let Some(called) = step.calls() {
                    if seen.insert(called) {
                        queue.push_back(called);
                    }
                }
            }
        }
        out
    }

    /// The chain of workflows from `from` through `first` back to `from`, if
    /// calls come back: `a → b → a`.
    fn call_cycle(&self, from: &Id, first: &Id) -> Option<Vec<String>> {
        let mut came_from: BTreeMap<&Id, &Id> = BTreeMap::new();
        let mut queue = VecDeque::from([first]);
        let mut seen = BTreeSet::from([first]);
        while let Some(w) = queue.pop_front() {
            if w == from {
                let mut path = vec![from.to_string()];
                let mut at = w;
                while at != first {
                    at = came_from[at];
                    path.push(at.to_string());
                }
                path.push(from.to_string());
                path.reverse();
                return Some(path);
            }
            let Some(b) = self.project.workflows.get(w) else { continue };
            for called in b.workflow.steps.values().filter_map(Step::calls) {
                if seen.insert(called) {
                    came_from.insert(called, w);
                    queue.push_back(called);
                }
            }
        }
        None
    }
}

/// Whether `target` can be reached from `start` by the workflow's transitions.
fn reaches(w: &Workflow, start: &Id, target: &Id) -> bool {
    let mut seen = BTreeSet::from([start]);
    let mut queue = VecDeque::from([start]);
    while let Some(s) = queue.pop_front() {
        if s == target {
            return true;
        }
        let Some(step) = w.steps.get(s) else { continue };
        for t in step.transitions() {
            if seen.insert(t.target) {
                queue.push_back(t.target);
            }
        }
    }
    false
}
