//! Workflows as SVG pictures for review: the canvas's cards, icons, colours
//! and edges, and, between two versions, the Compare view's marks (added,
//! removed, changed, moved). One self-contained file, no fonts or scripts.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;

use atelier_model::layout::{Layout, Position};
use atelier_model::workflow::{StepKind, Workflow};
use atelier_model::Id;

/// One side of a picture: the workflow, where its steps are drawn, and its scripts.
pub struct Side<'a> {
    pub workflow: &'a Workflow,
    pub layout: &'a Layout,
    pub scripts: &'a BTreeMap<Id, String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    Added,
    Removed,
    Changed,
    Moved,
}

impl Mark {
    pub(crate) fn label(self) -> &'static str {
        match self {
            Mark::Added => "added",
            Mark::Removed => "removed",
            Mark::Changed => "changed",
            Mark::Moved => "moved",
        }
    }
    /// The Compare view's colours (`.diff-*` in ui/src/styles.css): line, fill.
    pub(crate) fn colours(self) -> (&'static str, &'static str) {
        match self {
            Mark::Added => ("#15803d", "#ecfdf3"),
            Mark::Removed => ("#c62828", "#fdecec"),
            Mark::Changed => ("#b26a00", "#fff6e5"),
            Mark::Moved => ("#6b7285", "#f3f4f8"),
        }
    }
}

/// Each kind's colour and icon, as the canvas draws them (the step specs in
/// ui/src/steps/; a test keeps the two the same).
pub fn kind_look(kind: StepKind) -> (&'static str, &'static str) {
    match kind {
        StepKind::ApiCall => ("#0b7cc1", "M4 12h4l2-5 4 10 2-5h4"),
        StepKind::DataTransform => ("#7c3aed", "M5 7h10l-3-3M19 17H9l3 3"),
        StepKind::Condition => ("#d97706", "M12 3l8 9-8 9-8-9z"),
        StepKind::Approval => ("#15803d", "M5 12l4 4 10-10"),
        StepKind::CustomCode => ("#475569", "M9 7l-5 5 5 5M15 7l5 5-5 5"),
        StepKind::End => ("#be123c", "M6 6h12v12H6z"),
        StepKind::ForEach => ("#0f766e", "M4 12a8 8 0 0 1 14-5l2-2v6h-6l2-2a5 5 0 1 0 1 6"),
        StepKind::Parallel => ("#9333ea", "M4 12h4M8 12l4-6h8M8 12l4 6h8"),
        StepKind::Join => ("#a855f7", "M4 6h6l4 6-4 6H4M14 12h6"),
        StepKind::SubWorkflow => ("#0369a1", "M4 5h16v14H4zM8 9h8v6H8z"),
        StepKind::Wait => ("#64748b", "M12 4a8 8 0 1 0 0 16a8 8 0 1 0 0-16M12 8v4l3 2"),
    }
}

const CARD_W: i32 = 200;
const CARD_H: i32 = 56;
pub(crate) const MARGIN: i32 = 40;
pub(crate) const TITLE_H: i32 = 44;

pub(crate) fn esc(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_control())
        .map(|c| match c {
            '&' => "&amp;".to_owned(),
            '<' => "&lt;".to_owned(),
            '>' => "&gt;".to_owned(),
            '"' => "&quot;".to_owned(),
            c => c.to_string(),
        })
        .collect()
}

/// At most `n` characters, with an ellipsis when cut (the canvas cuts with CSS).
pub(crate) fn fit(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_owned()
    } else {
        format!("{}…", s.chars().take(n - 1).collect::<String>())
    }
}

/// What changed per step between `before` and `after`.
pub fn marks(before: &Side, after: &Side) -> BTreeMap<Id, Mark> {
    let mut out = BTreeMap::new();
    for (id, step) in &after.workflow.steps {
        let mark = match before.workflow.steps.get(id) {
            None => Some(Mark::Added),
            Some(old) if old != step || before.scripts.get(id) != after.scripts.get(id) => Some(Mark::Changed),
            Some(_) if before.layout.nodes.get(id) != after.layout.nodes.get(id) => Some(Mark::Moved),
            Some(_) => None,
        };
        if let Some(m) = mark {
            out.insert(id.clone(), m);
        }
    }
    for id in before.workflow.steps.keys().filter(|id| !after.workflow.steps.contains_key(*id)) {
        out.insert(id.clone(), Mark::Removed);
    }
    out
}

type Edge = (Id, Id, String, bool);

fn edges(w: &Workflow) -> Vec<Edge> {
    w.steps
        .iter()
        .flat_map(|(id, s)| s.transitions().into_iter().map(move |t| (id.clone(), t.target.clone(), t.label, t.is_error)))
        .collect()
}

/// The workflow `after` as the canvas draws it; with `before`, marked as the
/// Compare view marks it, removed steps and paths drawn dashed where they were.
pub fn render(title: &str, after: &Side, before: Option<&Side>) -> String {
    let marks = before.map(|b| marks(b, after)).unwrap_or_default();
    let mut cards: Vec<(Id, StepKind, String, Position, Option<Mark>)> = Vec::new();
    let at = |layout: &Layout, id: &Id| layout.nodes.get(id).copied().unwrap_or(Position { x: 0, y: 0 });
    for (id, step) in &after.workflow.steps {
        cards.push((id.clone(), step.kind(), step.name().to_owned(), at(after.layout, id), marks.get(id).copied()));
    }
    let mut removed_edges: Vec<Edge> = Vec::new();
    if let Some(b) = before {
        for (id, step) in b.workflow.steps.iter().filter(|(id, _)| !after.workflow.steps.contains_key(*id)) {
            cards.push((id.clone(), step.kind(), step.name().to_owned(), at(b.layout, id), Some(Mark::Removed)));
        }
        let now: BTreeSet<(Id, Id)> = edges(after.workflow).into_iter().map(|(a, b, _, _)| (a, b)).collect();
        removed_edges = edges(b.workflow).into_iter().filter(|(a, t, _, _)| !now.contains(&(a.clone(), t.clone()))).collect();
    }
    let place: BTreeMap<&Id, Position> = cards.iter().map(|(id, _, _, p, _)| (id, *p)).collect();
    let min_x = cards.iter().map(|c| c.3.x).min().unwrap_or(0);
    let min_y = cards.iter().map(|c| c.3.y).min().unwrap_or(0);
    let max_x = cards.iter().map(|c| c.3.x).max().unwrap_or(0) + CARD_W;
    let max_y = cards.iter().map(|c| c.3.y).max().unwrap_or(0) + CARD_H;
    let (ox, oy) = (MARGIN - min_x, MARGIN + TITLE_H - min_y);
    let width = (max_x - min_x + 2 * MARGIN).max(420);
    let height = max_y - min_y + 2 * MARGIN + TITLE_H;
    let mut s = open(title, width, height, before.map(|_| &marks));
    let edge = |s: &mut String, from: &Id, to: &Id, label: &str, error: bool, removed: bool| {
        let (Some(a), Some(b)) = (place.get(from), place.get(to)) else { return };
        let colour = if error || removed { "#c62828" } else { "#b1b1b7" };
        let dash = if removed {
            " stroke-dasharray=\"4 4\" opacity=\"0.6\""
        } else if error {
            " stroke-dasharray=\"6 4\""
        } else {
            ""
        };
        let marker = if error || removed { "arrow-red" } else { "arrow" };
        // Down the page from bottom to top; beside each other, from side to side.
        let (sx, sy, tx, ty, d) = if (b.y - a.y).abs() < CARD_H && a.x != b.x {
            let right = b.x > a.x;
            let sx = a.x + ox + if right { CARD_W } else { 0 };
            let tx = b.x + ox + if right { 0 } else { CARD_W };
            let (sy, ty) = (a.y + oy + CARD_H / 2, b.y + oy + CARD_H / 2);
            let mid = (sx + tx) / 2;
            (sx, sy, tx, ty, format!("M{sx} {sy}C{mid} {sy} {mid} {ty} {tx} {ty}"))
        } else {
            let (sx, sy) = (a.x + ox + CARD_W / 2, a.y + oy + CARD_H);
            let (tx, ty) = (b.x + ox + CARD_W / 2, b.y + oy);
            let bend = ((ty - sy).abs() / 2).max(40);
            (sx, sy, tx, ty, format!("M{sx} {sy}C{sx} {} {tx} {} {tx} {ty}", sy + bend, ty - bend))
        };
        let _ = writeln!(s, "<path d=\"{d}\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"1.5\"{dash} marker-end=\"url(#{marker})\"/>");
        if !label.is_empty() && label != "next" {
            let (mx, my) = ((sx + tx) / 2, (sy + ty) / 2);
            let text = esc(&fit(label, 28));
            let w = text.chars().count() as i32 * 6 + 10;
            let _ = writeln!(s, "<rect x=\"{}\" y=\"{}\" width=\"{w}\" height=\"18\" rx=\"4\" fill=\"#ffffff\" opacity=\"0.9\"/><text x=\"{mx}\" y=\"{}\" font-size=\"11\" text-anchor=\"middle\" fill=\"#6b7285\">{text}</text>", mx - w / 2, my - 9, my + 4);
        }
    };
    for (from, to, label, error) in edges(after.workflow) {
        edge(&mut s, &from, &to, &label, error, false);
    }
    // Unlabelled: a removed path's label would sit on the one that replaced it.
    for (from, to, _, error) in &removed_edges {
        edge(&mut s, from, to, "", *error, true);
    }
    // Removed steps first: what is there now is drawn over where they were.
    cards.sort_by_key(|c| c.4 != Some(Mark::Removed));
    for (id, kind, name, p, mark) in &cards {
        let (x, y) = (p.x + ox, p.y + oy);
        let (colour, icon) = kind_look(*kind);
        let (line, fill, width) = match mark {
            Some(m @ (Mark::Added | Mark::Changed | Mark::Removed)) => (m.colours().0, m.colours().1, 2.0),
            Some(Mark::Moved) => (Mark::Moved.colours().0, "#ffffff", 2.0),
            None => ("#e3e6ee", "#ffffff", 1.5),
        };
        let extra = if *mark == Some(Mark::Removed) { " stroke-dasharray=\"6 4\" opacity=\"0.75\"" } else { "" };
        let _ = writeln!(s, "<g data-step=\"{}\"{extra}>", esc(id.as_str()));
        let _ = writeln!(s, "<rect x=\"{x}\" y=\"{y}\" width=\"{CARD_W}\" height=\"{CARD_H}\" rx=\"10\" fill=\"{fill}\" stroke=\"{line}\" stroke-width=\"{width}\"/>");
        let _ = writeln!(s, "<g transform=\"translate({} {}) scale(0.75)\"><path d=\"{icon}\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"2.4\" stroke-linecap=\"round\" stroke-linejoin=\"round\"/></g>", x + 12, y + 19);
        let strike = if *mark == Some(Mark::Removed) { " text-decoration=\"line-through\"" } else { "" };
        let _ = writeln!(
            s,
            "<text x=\"{}\" y=\"{}\" font-weight=\"600\" fill=\"#1d2130\"{strike}>{}</text>",
            x + 40,
            y + 25,
            esc(&fit(name, 22))
        );
        let _ =
            writeln!(s, "<text x=\"{}\" y=\"{}\" font-size=\"11\" fill=\"#6b7285\">{}</text>", x + 40, y + 42, esc(&fit(id.as_str(), 28)));
        if let Some(m) = mark {
            let (line, _) = m.colours();
            let _ = writeln!(
                s,
                "<text x=\"{}\" y=\"{}\" font-size=\"10\" text-anchor=\"end\" fill=\"{line}\">{}</text>",
                x + CARD_W - 8,
                y + 14,
                m.label()
            );
        }
        let _ = writeln!(s, "</g>");
    }
    let _ = writeln!(s, "</svg>");
    s
}

/// The picture's frame: size, arrow markers, background, title and, for a
/// comparison, the legend counting each kind of mark.
pub(crate) fn open<K>(title: &str, width: i32, height: i32, marks: Option<&BTreeMap<K, Mark>>) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" font-family=\"Inter, system-ui, -apple-system, 'Segoe UI', sans-serif\" font-size=\"13\">"
    );
    let _ = writeln!(s, "<title>{}</title>", esc(title));
    let _ = writeln!(
        s,
        "<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto-start-reverse\"><path d=\"M0 0L10 5L0 10z\" fill=\"#b1b1b7\"/></marker>\
<marker id=\"arrow-red\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto-start-reverse\"><path d=\"M0 0L10 5L0 10z\" fill=\"#c62828\"/></marker></defs>"
    );
    let _ = writeln!(s, "<rect width=\"100%\" height=\"100%\" fill=\"#f6f7fb\"/>");
    let _ = writeln!(
        s,
        "<text x=\"{MARGIN}\" y=\"{}\" font-size=\"16\" font-weight=\"600\" fill=\"#1d2130\">{}</text>",
        MARGIN - 8,
        esc(&fit(title, 80))
    );
    if let Some(marks) = marks {
        let mut x = MARGIN;
        for m in [Mark::Added, Mark::Changed, Mark::Moved, Mark::Removed] {
            let (line, fill) = m.colours();
            let n = marks.values().filter(|v| **v == m).count();
            let label = format!("{n} {}", m.label());
            let w = label.len() as i32 * 7 + 16;
            let _ = writeln!(s, "<rect x=\"{x}\" y=\"{}\" width=\"{w}\" height=\"20\" rx=\"10\" fill=\"{fill}\" stroke=\"{line}\"/><text x=\"{}\" y=\"{}\" font-size=\"11\" fill=\"{line}\">{label}</text>", MARGIN + 2, x + 8, MARGIN + 16);
            x += w + 8;
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The pictures look like the canvas: each kind's colour and icon are the
    /// ones its spec in ui/src/steps/ gives.
    #[test]
    fn kinds_look_as_the_app_draws_them() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../ui/src/steps");
        let specs: String =
            std::fs::read_dir(&dir).unwrap().map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap_or_default()).collect();
        for kind in [
            StepKind::ApiCall,
            StepKind::DataTransform,
            StepKind::Condition,
            StepKind::Approval,
            StepKind::CustomCode,
            StepKind::End,
            StepKind::ForEach,
            StepKind::Parallel,
            StepKind::Join,
            StepKind::SubWorkflow,
            StepKind::Wait,
        ] {
            let (colour, icon) = kind_look(kind);
            assert!(specs.contains(&format!("color: \"{colour}\"")), "{kind:?}: {colour}");
            assert!(specs.contains(&format!("icon: \"{icon}\"")), "{kind:?}: {icon}");
        }
    }

    #[test]
    fn names_are_escaped_and_cut() {
        assert_eq!(esc("a<b>&\"c\u{1b}"), "a&lt;b&gt;&amp;&quot;c");
        assert_eq!(fit("abcdef", 4), "abc…");
    }
}
