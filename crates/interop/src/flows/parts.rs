//! One export can hold several flows that never meet: a Node-RED tab with an
//! HTTP endpoint beside two inject-started requests. Each becomes a workflow.

use std::collections::{BTreeMap, HashMap};

use super::graph::{Draft, Graph};

impl Graph {
    /// The nodes joined by wires (either way) with the triggers that start
    /// them; the flow the first trigger starts comes first.
    pub(crate) fn into_flows(mut self) -> Vec<Graph> {
        if self.nodes.is_empty() {
            return vec![self];
        }
        let index: HashMap<&str, usize> = self.nodes.iter().enumerate().map(|(i, n)| (n.key.as_str(), i)).collect();
        let mut parent: Vec<usize> = (0..self.nodes.len()).collect();
        fn root(parent: &mut [usize], mut i: usize) -> usize {
            while parent[i] != i {
                parent[i] = parent[parent[i]];
                i = parent[i];
            }
            i
        }
        let join = |parent: &mut Vec<usize>, a: usize, b: usize| {
            let (ra, rb) = (root(parent, a), root(parent, b));
            parent[ra.max(rb)] = ra.min(rb);
        };
        let edges: Vec<(usize, usize)> = self
            .nodes
            .iter()
            .enumerate()
            .flat_map(|(i, n)| {
                n.outputs
                    .iter()
                    .chain(std::iter::once(&n.on_error_to))
                    .flatten()
                    .filter_map(|k| index.get(k.as_str()))
                    .map(move |t| (i, *t))
            })
            .collect();
        for (a, b) in edges {
            join(&mut parent, a, b);
        }
        // A catch-all error route belongs to every flow: keep them together.
        let catch_all: Vec<usize> = self.on_error_to.iter().filter_map(|k| index.get(k.as_str()).copied()).collect();
        if !catch_all.is_empty() {
            for i in 1..self.nodes.len() {
                join(&mut parent, 0, i);
            }
        }
        for (_, keys, _) in &self.triggers {
            let targets: Vec<usize> = keys.iter().filter_map(|k| index.get(k.as_str()).copied()).collect();
            for w in targets.windows(2) {
                join(&mut parent, w[0], w[1]);
            }
        }
        let trigger_part: Vec<Option<usize>> = self
            .triggers
            .iter()
            .map(|(_, keys, _)| keys.iter().find_map(|k| index.get(k.as_str())).map(|t| root(&mut parent, *t)))
            .collect();
        // Flows in the order of their first trigger, then of their first node.
        let mut order: Vec<usize> = trigger_part.iter().flatten().copied().collect();
        order.extend((0..self.nodes.len()).map(|i| root(&mut parent, i)));
        let mut seen = Vec::new();
        for r in order {
            if !seen.contains(&r) {
                seen.push(r);
            }
        }
        if seen.len() == 1 {
            return vec![self];
        }
        let part_of: BTreeMap<usize, usize> = seen.iter().enumerate().map(|(k, r)| (*r, k)).collect();
        let mut flows: Vec<Graph> = (0..seen.len()).map(|_| Graph::new(self.name.clone())).collect();
        flows[0].description = std::mem::take(&mut self.description);
        flows[0].notes = std::mem::take(&mut self.notes);
        flows[0].notes.push(format!("the export holds {} separate flows; each is a workflow of its own", seen.len()));
        for (t, part) in self.triggers.into_iter().zip(trigger_part) {
            flows[part.map_or(0, |r| part_of[&r])].triggers.push(t);
        }
        let roots: Vec<usize> = (0..self.nodes.len()).map(|i| root(&mut parent, i)).collect();
        for (node, r) in self.nodes.into_iter().zip(roots) {
            let flow = &mut flows[part_of[&r]];
            if let Draft::Api { source, .. } = &node.draft {
                if let Some(s) = self.sources.get(source) {
                    flow.sources.insert(source.clone(), s.clone());
                }
            }
            flow.nodes.push(node);
        }
        for flow in flows.iter_mut().skip(1) {
            let first = flow.triggers.first().and_then(|(_, keys, _)| keys.first()).and_then(|k| flow.nodes.iter().find(|n| &n.key == k));
            let first = first.or(flow.nodes.first()).map(|n| n.name.clone()).unwrap_or_default();
            flow.name = format!("{}: {first}", flow.name);
        }
        flows
    }
}
