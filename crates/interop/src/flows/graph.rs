//! The shape both readers fill in: nodes with drafts of steps and the nodes
//! each output leads to. [`Graph::build`] turns it into an Atelier workflow:
//! ids from node names, a `parallel` step where one output feeds several
//! nodes (joined at the merge node they meet in, or at a join of its own),
//! an `end` step where a path stops, and a layered layout.

use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};

use atelier_model::control::{JoinMode, JoinStep, ParallelBranch, ParallelStep, WaitStep};
use atelier_model::layout::{Layout, Position};
use atelier_model::project::WorkflowBundle;
use atelier_model::source::Source;
use atelier_model::workflow::{
    ApiCallStep, Branch, CodeStep, ConditionStep, EndStatus, EndStep, ErrorPolicy, HttpMethod, Step, Trigger, Workflow,
};
use atelier_model::Id;

use super::ImportedWorkflow;
use crate::names::field_id;

/// One node of the export.
pub(crate) struct Node {
    /// The export's own key for the node (its id or name): what edges name.
    pub key: String,
    pub name: String,
    /// Where it came from, for the notes: `function "report error"`.
    pub what: String,
    /// Where the export drew it; orders nodes within a layer.
    pub y: f64,
    pub draft: Draft,
    /// The nodes each output leads to, by key.
    pub outputs: Vec<Vec<String>>,
    /// Where a failure goes (n8n's error output, Node-RED's catch node).
    pub on_error_to: Vec<String>,
    pub on_error: Option<ErrorPolicy>,
}

/// What a node becomes.
pub(crate) enum Draft {
    /// `data_transform` (`transform`) or `custom_code` with its script.
    Code {
        transform: bool,
        script: String,
        unfinished: Option<String>,
    },
    /// Branches in order, each `(label, when, output)`; `otherwise` is an output too,
    /// and without one a state no branch takes goes no further.
    Condition {
        branches: Vec<(String, String, usize)>,
        otherwise: Option<usize>,
    },
    Api {
        source: Id,
        method: HttpMethod,
        path: String,
        headers: BTreeMap<String, String>,
        body: Option<serde_json::Value>,
    },
    Wait {
        duration_ms: u64,
    },
    /// Where inputs meet (n8n's Merge): a join when the inputs come from one split.
    Merge,
    /// A node whose path stops here (a debug output, an HTTP response): an
    /// `end` step, or a pass-through inside a split, whose branches must reach the join.
    Sink,
}

/// A whole export, read.
pub(crate) struct Graph {
    pub name: String,
    pub description: String,
    /// Triggers with the nodes they start, by key.
    pub triggers: Vec<(Trigger, Vec<String>, String)>,
    pub nodes: Vec<Node>,
    pub sources: BTreeMap<Id, Source>,
    pub notes: Vec<String>,
    /// Where any failure goes (a Node-RED catch node of no scope).
    pub on_error_to: Vec<String>,
}

/// Where an exit goes, before steps exist.
#[derive(Clone)]
enum Exit {
    Node(usize),
    Split(usize),
    Stop,
}

/// A `parallel` step made for an output that feeds several nodes.
struct Split {
    id: Id,
    from: Option<usize>,
    targets: Vec<usize>,
    /// The merge node the branches meet at, or a join made for it.
    join: Option<usize>,
    join_id: Id,
    /// The nodes between the split and its join: their stops lead to the join.
    region: BTreeSet<usize>,
    /// The branches lead back to the split's own node: parallel branches
    /// must meet at a join, so a condition takes one of them instead.
    looping: bool,
}

const LAYER_HEIGHT: i32 = 130;
const COLUMN_WIDTH: i32 = 260;

impl Graph {
    pub fn new(name: impl Into<String>) -> Graph {
        Graph {
            name: name.into(),
            description: String::new(),
            triggers: Vec::new(),
            nodes: Vec::new(),
            sources: BTreeMap::new(),
            notes: Vec::new(),
            on_error_to: Vec::new(),
        }
    }

    pub fn build(self) -> ImportedWorkflow {
        let mut b = Builder::new(&self);
        b.plan_splits(&self);
        b.finish(self)
    }
}

struct Builder {
    ids: Vec<Id>,
    taken: BTreeSet<Id>,
    index: HashMap<String, usize>,
    splits: Vec<Split>,
    split_of: HashMap<Vec<usize>, usize>,
    done: Option<Id>,
}

impl Builder {
    fn new(g: &Graph) -> Builder {
        let mut taken = BTreeSet::new();
        let mut ids = Vec::new();
        let mut index = HashMap::new();
        for (i, n) in g.nodes.iter().enumerate() {
            let id = unique(&mut taken, &n.name);
            ids.push(id);
            index.insert(n.key.clone(), i);
        }
        Builder { ids, taken, index, splits: Vec::new(), split_of: HashMap::new(), done: None }
    }

    fn targets(&self, keys: &[String]) -> Vec<usize> {
        let mut out: Vec<usize> = Vec::new();
        for k in keys {
            if let Some(&i) = self.index.get(k) {
                if !out.contains(&i) {
                    out.push(i);
                }
            }
        }
        out
    }

    fn successors(&self, g: &Graph, i: usize) -> Vec<usize> {
        let n = &g.nodes[i];
        n.outputs.iter().chain(std::iter::once(&n.on_error_to)).flat_map(|o| self.targets(o)).collect()
    }

    /// The nodes reachable from `from`, not going past `stop`.
    fn reach(&self, g: &Graph, from: &[usize], stop: Option<usize>) -> BTreeSet<usize> {
        let mut seen = BTreeSet::new();
        let mut queue: VecDeque<usize> = from.iter().copied().collect();
        while let Some(i) = queue.pop_front() {
            if Some(i) == stop || !seen.insert(i) {
                continue;
            }
            queue.extend(self.successors(g, i));
        }
        seen
    }

    /// One split per distinct set of targets that several nodes lead to at once.
    fn plan_splits(&mut self, g: &Graph) {
        let mut fan_outs: Vec<(Option<usize>, Vec<usize>)> = Vec::new();
        for (_, keys, _) in &g.triggers {
            fan_outs.push((None, self.targets(keys)));
        }
        for (i, n) in g.nodes.iter().enumerate() {
            for o in n.outputs.iter().chain(std::iter::once(&n.on_error_to)) {
                fan_outs.push((Some(i), self.targets(o)));
            }
        }
        let mut claimed = BTreeSet::new();
        for (from, targets) in fan_outs {
            if targets.len() < 2 || self.split_of.contains_key(&targets) {
                continue;
            }
            let base = from.map(|f| self.ids[f].to_string()).unwrap_or_else(|| "start".to_owned());
            if from.is_some_and(|f| self.reach(g, &targets, None).contains(&f)) {
                let id = unique(&mut self.taken, &format!("{base} fan out"));
                self.split_of.insert(targets.clone(), self.splits.len());
                let join_id = id.clone();
                self.splits.push(Split { id, from, targets, join: None, join_id, region: BTreeSet::new(), looping: true });
                continue;
            }
            let id = unique(&mut self.taken, &format!("{base} split"));
            // The first merge node every branch reaches is where they meet.
            let reaches: Vec<BTreeSet<usize>> = targets.iter().map(|t| self.reach(g, &[*t], None)).collect();
            let join = (0..g.nodes.len())
                .find(|m| matches!(g.nodes[*m].draft, Draft::Merge) && !claimed.contains(m) && reaches.iter().all(|r| r.contains(m)));
            if let Some(m) = join {
                claimed.insert(m);
            }
            let join_id = match join {
                Some(m) => self.ids[m].clone(),
                None => unique(&mut self.taken, &format!("{base} joined")),
            };
            let region = self.reach(g, &targets, join);
            self.split_of.insert(targets.clone(), self.splits.len());
            self.splits.push(Split { id, from, targets, join, join_id, region, looping: false });
        }
    }

    fn exit(&self, targets: &[usize]) -> Exit {
        match targets {
            [] => Exit::Stop,
            [t] => Exit::Node(*t),
            many => Exit::Split(self.split_of[many]),
        }
    }

    /// The innermost split whose branches `node` lies between, other than
    /// `split`; around a split only one whose region holds all of its own
    /// (in a flow that loops back, two splits can lie inside each other).
    fn around(&self, node: usize, split: Option<usize>) -> Option<&Split> {
        self.splits
            .iter()
            .enumerate()
            .filter(|(k, s)| Some(*k) != split && s.region.contains(&node) && s.join != Some(node))
            .filter(|(_, s)| {
                split.is_none_or(|own| self.splits[own].region.is_subset(&s.region) && s.region.len() > self.splits[own].region.len())
            })
            .min_by_key(|(_, s)| s.region.len())
            .map(|(_, s)| s)
    }

    /// Where a path that stops at `node` goes: its split's join, or the end.
    fn stop_at(&mut self, node: Option<usize>) -> Id {
        self.stop_outside(node, None)
    }

    /// [`Self::stop_at`], for a split's own join: never that split's join
    /// again (a flow that loops back lies inside its own split), and only a
    /// split that holds this one.
    fn stop_outside(&mut self, node: Option<usize>, split: Option<usize>) -> Id {
        if let Some(s) = node.and_then(|n| self.around(n, split)) {
            return s.join_id.clone();
        }
        self.done.get_or_insert_with(|| unique(&mut self.taken, "done")).clone()
    }

    fn resolve(&mut self, exit: Exit, node: Option<usize>) -> Id {
        match exit {
            Exit::Node(t) => self.ids[t].clone(),
            Exit::Split(s) => self.splits[s].id.clone(),
            Exit::Stop => self.stop_at(node),
        }
    }

    fn output(&mut self, g: &Graph, i: usize, output: usize) -> Id {
        let targets = g.nodes[i].outputs.get(output).map(|o| self.targets(o)).unwrap_or_default();
        let exit = self.exit(&targets);
        self.resolve(exit, Some(i))
    }

    /// A node that sends to several outputs (a Node-RED function with
    /// `outputs: 2`): a condition after its step keeps every connection. It
    /// takes the first output until the person writes when the others are taken.
    fn output_chooser(&mut self, g: &Graph, i: usize, steps: &mut BTreeMap<Id, Step>) -> Id {
        let id = unique(&mut self.taken, &format!("{} outputs", self.ids[i]));
        let n = &g.nodes[i];
        let wired: Vec<usize> = (1..n.outputs.len()).filter(|k| !self.targets(&n.outputs[*k]).is_empty()).collect();
        let branches = wired
            .into_iter()
            .map(|k| Branch { label: format!("output {}", k + 1), when: "false".to_owned(), next: Some(self.output(g, i, k)) })
            .collect();
        let otherwise = Some(self.output(g, i, 0));
        let description =
            format!("Imported: {} sends to {} outputs. Write when each is taken; until then the first is.", n.what, n.outputs.len());
        steps.insert(
            id.clone(),
            Step::Condition(ConditionStep { name: "Which output?".to_owned(), description, branches, otherwise, on_error: None }),
        );
        id
    }

    fn finish(mut self, g: Graph) -> ImportedWorkflow {
        let mut steps: BTreeMap<Id, Step> = BTreeMap::new();
        let mut scripts = BTreeMap::new();
        let mut notes = g.notes.clone();

        // The start: the first trigger's nodes; without one, the first node nothing leads to.
        let mut triggers = Vec::new();
        let mut start_targets: Option<Vec<usize>> = None;
        for (trigger, keys, what) in &g.triggers {
            let targets = self.targets(keys);
            match &start_targets {
                _ if targets.is_empty() => notes.push(format!("{what} is not connected to any node, so it is left out")),
                None => {
                    start_targets = Some(targets);
                    triggers.push(trigger.clone());
                }
                Some(first) if *first == targets => {
                    if !triggers.contains(trigger) {
                        triggers.push(trigger.clone());
                    }
                }
                Some(_) => notes.push(format!(
                    "{what} starts the flow at another node than the first trigger; an Atelier workflow starts at one step, so it is left out"
                )),
            }
        }
        let start_targets = start_targets.unwrap_or_else(|| {
            let led_to: BTreeSet<usize> = (0..g.nodes.len()).flat_map(|i| self.successors(&g, i)).collect();
            (0..g.nodes.len()).find(|i| !led_to.contains(i)).or(if g.nodes.is_empty() { None } else { Some(0) }).into_iter().collect()
        });
        let start_exit = self.exit(&start_targets);
        let start = self.resolve(start_exit, None);

        for i in 0..g.nodes.len() {
            let n = &g.nodes[i];
            let id = self.ids[i].clone();
            let error_targets = self.targets(&n.on_error_to);
            let on_error = if error_targets.is_empty() {
                n.on_error.clone()
            } else {
                let exit = self.exit(&error_targets);
                Some(ErrorPolicy::Route { to: self.resolve(exit, Some(i)) })
            };
            let name = n.name.clone();
            let step = match &n.draft {
                Draft::Code { transform, script, unfinished } => {
                    scripts.insert(id.clone(), script.clone());
                    let next = Some(if n.outputs.iter().skip(1).any(|o| !self.targets(o).is_empty()) {
                        self.output_chooser(&g, i, &mut steps)
                    } else {
                        self.output(&g, i, 0)
                    });
                    let code =
                        CodeStep { name, description: String::new(), unfinished: unfinished.clone(), next, on_error, timeout_ms: None };
                    if *transform {
                        Step::DataTransform(code)
                    } else {
                        Step::CustomCode(code)
                    }
                }
                Draft::Condition { branches, otherwise } => {
                    let branches = branches
                        .iter()
                        .map(|(label, when, o)| Branch { label: label.clone(), when: when.clone(), next: Some(self.output(&g, i, *o)) })
                        .collect();
                    // No fallback: an item that matches no rule goes no further.
                    let otherwise = Some(match otherwise {
                        Some(o) => self.output(&g, i, *o),
                        None => self.stop_at(Some(i)),
                    });
                    Step::Condition(ConditionStep { name, description: String::new(), branches, otherwise, on_error })
                }
                Draft::Api { source, method, path, headers, body } => Step::ApiCall(ApiCallStep {
                    name,
                    description: String::new(),
                    source: source.clone(),
                    method: *method,
                    path: path.clone(),
                    headers: headers.clone(),
                    body: body.clone(),
                    save_as: None,
                    next: Some(self.output(&g, i, 0)),
                    on_error,
                    timeout_ms: None,
                }),
                Draft::Wait { duration_ms } => Step::Wait(WaitStep {
                    name,
                    description: String::new(),
                    duration_ms: Some(*duration_ms),
                    until: None,
                    next: Some(self.output(&g, i, 0)),
                }),
                Draft::Merge if self.splits.iter().any(|s| s.join == Some(i)) => {
                    Step::Join(JoinStep { name, description: String::new(), wait_for: JoinMode::All, next: Some(self.output(&g, i, 0)) })
                }
                Draft::Merge => {
                    notes.push(format!("{}: its inputs do not come from one split, so `{id}` passes on whatever reaches it", n.what));
                    scripts.insert(id.clone(), super::js::pass_through(&n.what));
                    let next = Some(self.output(&g, i, 0));
                    Step::DataTransform(CodeStep { name, description: String::new(), unfinished: None, next, on_error, timeout_ms: None })
                }
                Draft::Sink if self.around(i, None).is_some() || n.outputs.iter().any(|o| !o.is_empty()) => {
                    scripts.insert(id.clone(), super::js::pass_through(&n.what));
                    let next = Some(self.output(&g, i, 0));
                    Step::DataTransform(CodeStep { name, description: String::new(), unfinished: None, next, on_error, timeout_ms: None })
                }
                Draft::Sink => Step::End(EndStep { name, description: String::new(), status: EndStatus::Completed, output: None }),
            };
            steps.insert(id, step);
        }

        for s in 0..self.splits.len() {
            let branches: Vec<ParallelBranch> = self.splits[s]
                .targets
                .iter()
                .map(|t| ParallelBranch { label: g.nodes[*t].name.clone(), next: Some(self.ids[*t].clone()) })
                .collect();
            let split = &self.splits[s];
            let (id, join_id, made_join, from) = (split.id.clone(), split.join_id.clone(), split.join.is_none(), split.from);
            if split.looping {
                let what = from.map_or("the trigger", |f| g.nodes[f].what.as_str());
                notes.push(format!("{what} sends to {} nodes in a loop; `{id}` takes the first until you choose", branches.len()));
                let description = format!("Imported: {what} sends each message to all of these, in a loop that parallel branches cannot make. Write when each is taken; until then the first is.");
                let mut rest = branches.into_iter().map(|b| Branch { label: b.label, when: "false".to_owned(), next: b.next });
                let otherwise = rest.next().and_then(|b| b.next);
                let branches = rest.collect();
                steps.insert(
                    id,
                    Step::Condition(ConditionStep { name: "Which way?".to_owned(), description, branches, otherwise, on_error: None }),
                );
                continue;
            }
            steps.insert(
                id,
                Step::Parallel(ParallelStep {
                    name: "Split".to_owned(),
                    description: String::new(),
                    branches,
                    join: Some(join_id.clone()),
                    on_error: None,
                }),
            );
            if made_join {
                // The join continues where the split's own path stops.
                let next = Some(self.stop_outside(from, Some(s)));
                steps.insert(
                    join_id,
                    Step::Join(JoinStep { name: "Join".to_owned(), description: String::new(), wait_for: JoinMode::All, next }),
                );
            }
        }
        if let Some(done) = &self.done {
            steps.insert(
                done.clone(),
                Step::End(EndStep { name: "Done".to_owned(), description: String::new(), status: EndStatus::Completed, output: None }),
            );
        }

        let on_error = match self.targets(&g.on_error_to).as_slice() {
            [] => None,
            targets => {
                let exit = self.exit(targets);
                Some(ErrorPolicy::Route { to: self.resolve(exit, None) })
            }
        };
        let workflow = Workflow {
            schema: Some(atelier_model::schema::url(atelier_model::schema::WORKFLOW)),
            name: g.name.clone(),
            description: g.description.clone(),
            triggers,
            start: start.clone(),
            steps,
            on_error,
            timeout_ms: None,
        };
        let layout = layered(&workflow, &start, &g, &self);
        ImportedWorkflow { bundle: WorkflowBundle { workflow, layout, scripts, tests: BTreeMap::new() }, sources: g.sources, notes }
    }
}

/// A slug of `name` no other step has: `set`, `set-2`, ...
fn unique(taken: &mut BTreeSet<Id>, name: &str) -> Id {
    let base = field_id(name).map(|i| i.to_string()).unwrap_or_else(|| "step".to_owned());
    let base: String = base.chars().take(atelier_model::id::MAX_ID_LEN - 4).collect();
    let base = base.trim_end_matches('-').to_owned();
    let mut n = 1;
    loop {
        let candidate = if n == 1 { base.clone() } else { format!("{base}-{n}") };
        let id = Id::new(candidate).expect("slugs are ids");
        if taken.insert(id.clone()) {
            return id;
        }
        n += 1;
    }
}

/// Layers by distance from the start, top to bottom; within a layer, in the
/// order the export drew the nodes top to bottom.
fn layered(w: &Workflow, start: &Id, g: &Graph, b: &Builder) -> Layout {
    let drawn_y: HashMap<&Id, f64> = b.ids.iter().zip(&g.nodes).map(|(id, n)| (id, n.y)).collect();
    let mut depth: BTreeMap<&Id, usize> = BTreeMap::new();
    let roots = std::iter::once(start).chain(w.steps.keys());
    for root in roots {
        if depth.contains_key(root) {
            continue;
        }
        let base = if root == start { 0 } else { depth.values().max().map_or(0, |d| d + 1) };
        let mut queue = VecDeque::from([(root, base)]);
        while let Some((id, d)) = queue.pop_front() {
            if depth.contains_key(id) {
                continue;
            }
            depth.insert(id, d);
            if let Some(step) = w.steps.get(id) {
                for t in step.transitions() {
                    queue.push_back((t.target, d + 1));
                }
            }
        }
    }
    let mut layers: BTreeMap<usize, Vec<&Id>> = BTreeMap::new();
    for (id, d) in &depth {
        if w.steps.contains_key(*id) {
            layers.entry(*d).or_default().push(id);
        }
    }
    let mut nodes = BTreeMap::new();
    for (d, mut ids) in layers {
        ids.sort_by(|a, c| drawn_y.get(a).unwrap_or(&f64::MAX).total_cmp(drawn_y.get(c).unwrap_or(&f64::MAX)));
        for (k, id) in ids.into_iter().enumerate() {
            let layer = i32::try_from(d).unwrap_or(i32::MAX / LAYER_HEIGHT).min(10_000);
            nodes.insert(id.clone(), Position { x: k as i32 * COLUMN_WIDTH, y: layer * LAYER_HEIGHT });
        }
    }
    Layout { schema: Some(atelier_model::schema::url(atelier_model::schema::LAYOUT)), nodes }
}
