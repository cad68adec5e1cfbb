//! Data models and forms as SVG pictures for review, as their designers draw
//! them: entities with their fields and references, enums; a form's
//! components on its 12-column grid. Between two versions, each entity, enum
//! or component is marked added, removed, changed or moved.

use std::collections::BTreeMap;
use std::fmt::Write;

use atelier_model::data_model::{DataModel, FieldType};
use atelier_model::form::Form;
use atelier_model::layout::{FormLayout, ModelLayout, Placement, Position};
use atelier_model::Id;

use crate::svg::{esc, fit, open, Mark, MARGIN, TITLE_H};

/// The model designer's entity width (`ENTITY_W` in ui/src/models/modelDoc.ts).
const ENTITY_W: i32 = 240;
const ENUM_W: i32 = 180;
const ROW_H: i32 = 22;
const HEAD_H: i32 = 45;

fn mark_of<T: PartialEq, P: PartialEq>(before: Option<(&T, Option<&P>)>, after: (&T, Option<&P>)) -> Option<Mark> {
    match before {
        None => Some(Mark::Added),
        Some((b, _)) if b != after.0 => Some(Mark::Changed),
        Some((_, bp)) if bp != after.1 => Some(Mark::Moved),
        _ => None,
    }
}

fn card_style(mark: Option<Mark>) -> (&'static str, &'static str, f32, &'static str) {
    match mark {
        Some(Mark::Removed) => (Mark::Removed.colours().0, Mark::Removed.colours().1, 2.0, " stroke-dasharray=\"6 4\" opacity=\"0.75\""),
        Some(m @ (Mark::Added | Mark::Changed)) => (m.colours().0, m.colours().1, 2.0, ""),
        Some(Mark::Moved) => (Mark::Moved.colours().0, "#ffffff", 2.0, ""),
        None => ("#e3e6ee", "#ffffff", 1.5, ""),
    }
}

fn badge(s: &mut String, mark: Option<Mark>, right: i32, y: i32) {
    if let Some(m) = mark {
        let _ = writeln!(
            s,
            "<text x=\"{right}\" y=\"{y}\" font-size=\"10\" text-anchor=\"end\" fill=\"{}\">{}</text>",
            m.colours().0,
            m.label()
        );
    }
}

/// A data model as the model designer draws it; with `before`, marked.
pub fn render_model(title: &str, after: (&DataModel, &ModelLayout), before: Option<(&DataModel, &ModelLayout)>) -> String {
    let (model, layout) = after;
    let mut boxes: Vec<(Id, bool, Position, i32, Option<Mark>)> = Vec::new(); // id, is_enum, place, height, mark
    let mut marks: BTreeMap<String, Mark> = BTreeMap::new();
    let auto = |k: usize| Position { x: (k as i32 % 4) * 300, y: (k as i32 / 4) * 320 };
    for (k, (id, e)) in model.entities.iter().enumerate() {
        let p = layout.entities.get(id).copied().unwrap_or(auto(k));
        let mark = before.and_then(|(bm, bl)| mark_of(bm.entities.get(id).map(|b| (b, bl.entities.get(id))), (e, layout.entities.get(id))));
        boxes.push((id.clone(), false, p, HEAD_H + e.fields.len() as i32 * ROW_H, mark));
    }
    for (k, (id, en)) in model.enums.iter().enumerate() {
        let p = layout.enums.get(id).copied().unwrap_or(auto(model.entities.len() + k));
        let mark = before.and_then(|(bm, bl)| mark_of(bm.enums.get(id).map(|b| (b, bl.enums.get(id))), (en, layout.enums.get(id))));
        boxes.push((id.clone(), true, p, HEAD_H + en.values.len() as i32 * ROW_H, mark));
    }
    if let Some((bm, bl)) = before {
        for (k, (id, e)) in bm.entities.iter().enumerate().filter(|(_, (id, _))| !model.entities.contains_key(*id)) {
            boxes.push((
                id.clone(),
                false,
                bl.entities.get(id).copied().unwrap_or(auto(k)),
                HEAD_H + e.fields.len() as i32 * ROW_H,
                Some(Mark::Removed),
            ));
        }
        for (k, (id, en)) in bm.enums.iter().enumerate().filter(|(_, (id, _))| !model.enums.contains_key(*id)) {
            boxes.push((
                id.clone(),
                true,
                bl.enums.get(id).copied().unwrap_or(auto(k)),
                HEAD_H + en.values.len() as i32 * ROW_H,
                Some(Mark::Removed),
            ));
        }
        for (id, _, _, _, m) in &boxes {
            if let Some(m) = m {
                marks.insert(id.to_string(), *m);
            }
        }
    }
    let width_of = |is_enum: bool| if is_enum { ENUM_W } else { ENTITY_W };
    let min_x = boxes.iter().map(|b| b.2.x).min().unwrap_or(0);
    let min_y = boxes.iter().map(|b| b.2.y).min().unwrap_or(0);
    let max_x = boxes.iter().map(|b| b.2.x + width_of(b.1)).max().unwrap_or(0);
    let max_y = boxes.iter().map(|b| b.2.y + b.3).max().unwrap_or(0);
    let (ox, oy) = (MARGIN - min_x, MARGIN + TITLE_H - min_y);
    let (width, height) = ((max_x - min_x + 2 * MARGIN).max(420), max_y - min_y + 2 * MARGIN + TITLE_H);
    let mut s = open(title, width, height, before.map(|_| &marks));
    // References first, under the cards: from the field's row to the entity's head.
    let place: BTreeMap<&Id, (Position, bool)> = boxes.iter().filter(|b| !b.1).map(|b| (&b.0, (b.2, b.4 == Some(Mark::Removed)))).collect();
    for (id, e) in &model.entities {
        let Some((from, _)) = place.get(id) else { continue };
        for (row, (_, f)) in after.1.field_order(id, e).into_iter().enumerate() {
            let Some((to, _)) = f.entity.as_ref().filter(|_| f.field_type == FieldType::Reference).and_then(|t| place.get(t)) else {
                continue;
            };
            let (sx, sy) = (from.x + ox + ENTITY_W, from.y + oy + HEAD_H + row as i32 * ROW_H + ROW_H / 2);
            let (tx, ty) = (to.x + ox, to.y + oy + HEAD_H / 2);
            let (sx, tx) = if to.x < from.x { (sx - ENTITY_W, tx + ENTITY_W) } else { (sx, tx) };
            let mid = (sx + tx) / 2;
            let many = if f.list { "many" } else { "one" };
            let _ = writeln!(s, "<path d=\"M{sx} {sy}C{mid} {sy} {mid} {ty} {tx} {ty}\" fill=\"none\" stroke=\"#b1b1b7\" stroke-width=\"1.5\" marker-end=\"url(#arrow)\"><title>{many}</title></path>");
            let _ = writeln!(
                s,
                "<text x=\"{}\" y=\"{}\" font-size=\"10\" fill=\"#6b7285\" text-anchor=\"middle\">{many}</text>",
                mid,
                (sy + ty) / 2 - 4
            );
        }
    }
    boxes.sort_by_key(|b| b.4 != Some(Mark::Removed));
    for (id, is_enum, p, h, mark) in &boxes {
        let (x, y, w) = (p.x + ox, p.y + oy, width_of(*is_enum));
        let (line, fill, stroke, extra) = card_style(*mark);
        let dash = if *is_enum && extra.is_empty() { " stroke-dasharray=\"5 3\"" } else { "" };
        let _ = writeln!(s, "<g data-{}=\"{}\"{extra}>", if *is_enum { "enum" } else { "entity" }, esc(id.as_str()));
        let _ = writeln!(s, "<rect x=\"{x}\" y=\"{y}\" width=\"{w}\" height=\"{h}\" rx=\"10\" fill=\"{fill}\" stroke=\"{line}\" stroke-width=\"{stroke}\"{dash}/>");
        let _ = writeln!(s, "<path d=\"M{} {}h{}\" stroke=\"#e3e6ee\"/>", x, y + HEAD_H - 8, w);
        let side = if *mark == Some(Mark::Removed) { before.map(|b| b.0) } else { Some(model) };
        let (name, rows): (String, Vec<(String, String, bool)>) = match side {
            Some(m) if *is_enum => m.enums.get(id).map_or((id.to_string(), Vec::new()), |en| {
                (format!("enum {id}"), en.values.iter().map(|v| (v.to_string(), String::new(), false)).collect())
            }),
            Some(m) => m.entities.get(id).map_or((id.to_string(), Vec::new()), |e| {
                let layout = if *mark == Some(Mark::Removed) { before.map_or(after.1, |b| b.1) } else { after.1 };
                let rows = layout
                    .field_order(id, e)
                    .into_iter()
                    .map(|(fid, f)| {
                        let mut t = f.field_type.as_str().to_owned();
                        if let Some(target) = f.entity.as_ref().or(f.enum_type.as_ref()) {
                            t = format!("{t} → {target}");
                        }
                        if f.list {
                            t = format!("list of {t}");
                        }
                        (format!("{fid}{}", if f.required { " *" } else { "" }), t, f.key)
                    })
                    .collect();
                (e.name.clone(), rows)
            }),
            None => (id.to_string(), Vec::new()),
        };
        let strike = if *mark == Some(Mark::Removed) { " text-decoration=\"line-through\"" } else { "" };
        let _ = writeln!(
            s,
            "<text x=\"{}\" y=\"{}\" font-weight=\"600\" fill=\"#1d2130\"{strike}>{}</text>",
            x + 10,
            y + 22,
            esc(&fit(&name, 24))
        );
        badge(&mut s, *mark, x + w - 8, y + 14);
        if !*is_enum {
            let _ = writeln!(
                s,
                "<text x=\"{}\" y=\"{}\" font-size=\"11\" fill=\"#6b7285\" text-anchor=\"end\">{}</text>",
                x + w - 10,
                y + 31,
                esc(&fit(id.as_str(), 24))
            );
        }
        for (k, (field, kind, key)) in rows.iter().enumerate() {
            let ry = y + HEAD_H + k as i32 * ROW_H + 15;
            let weight = if *key { " font-weight=\"700\" text-decoration=\"underline\"" } else { "" };
            let _ = writeln!(s, "<text x=\"{}\" y=\"{ry}\" font-size=\"12\" font-family=\"'DejaVu Sans Mono', monospace\" fill=\"#1d2130\"{weight}>{}</text>", x + 10, esc(&fit(field, 18)));
            let _ = writeln!(
                s,
                "<text x=\"{}\" y=\"{ry}\" font-size=\"11\" fill=\"#6b7285\" text-anchor=\"end\">{}</text>",
                x + w - 10,
                esc(&fit(kind, 20))
            );
        }
        let _ = writeln!(s, "</g>");
    }
    let _ = writeln!(s, "</svg>");
    s
}

/// The form designer's grid: 12 columns of this width, rows of this height.
const COLUMN: i32 = 64;
const FORM_ROW: i32 = 64;

/// A form as the form designer places it on its grid; with `before`, marked.
pub fn render_form(title: &str, after: (&Form, &FormLayout), before: Option<(&Form, &FormLayout)>) -> String {
    let (form, layout) = after;
    let place =
        |l: &FormLayout, id: &Id, k: usize| l.components.get(id).copied().unwrap_or(Placement { row: k as u32, column: 0, width: 12 });
    let mut cards: Vec<(Id, String, String, Placement, Option<Mark>)> = Vec::new();
    for (k, (id, c)) in form.components.iter().enumerate() {
        let mark =
            before.and_then(|(bf, bl)| mark_of(bf.components.get(id).map(|b| (b, bl.components.get(id))), (c, layout.components.get(id))));
        cards.push((id.clone(), c.label.clone(), c.kind.as_str().replace('_', " "), place(layout, id, k), mark));
    }
    let mut marks: BTreeMap<String, Mark> = BTreeMap::new();
    if let Some((bf, bl)) = before {
        for (k, (id, c)) in bf.components.iter().enumerate().filter(|(_, (id, _))| !form.components.contains_key(*id)) {
            cards.push((id.clone(), c.label.clone(), c.kind.as_str().replace('_', " "), place(bl, id, k), Some(Mark::Removed)));
        }
        marks = cards.iter().filter_map(|c| c.4.map(|m| (c.0.to_string(), m))).collect();
    }
    let rows = cards.iter().map(|c| c.3.row.min(1_000) as i32 + 1).max().unwrap_or(1);
    let (width, height) = (12 * COLUMN + 2 * MARGIN, rows * FORM_ROW + 2 * MARGIN + TITLE_H + 40);
    let mut s = open(title, width, height, before.map(|_| &marks));
    let (ox, oy) = (MARGIN, MARGIN + TITLE_H);
    let _ = writeln!(
        s,
        "<rect x=\"{ox}\" y=\"{oy}\" width=\"{}\" height=\"{}\" rx=\"10\" fill=\"#ffffff\" stroke=\"#e3e6ee\"/>",
        12 * COLUMN,
        rows * FORM_ROW + 40
    );
    cards.sort_by_key(|c| c.4 != Some(Mark::Removed));
    for (id, label, kind, p, mark) in &cards {
        let (x, y) = (ox + p.column.min(11) as i32 * COLUMN + 4, oy + 8 + p.row.min(1_000) as i32 * FORM_ROW + 4);
        let w = p.width.clamp(1, 12 - p.column.min(11)) as i32 * COLUMN - 8;
        let (line, fill, stroke, extra) = card_style(*mark);
        let _ = writeln!(s, "<g data-component=\"{}\"{extra}>", esc(id.as_str()));
        let _ = writeln!(
            s,
            "<rect x=\"{x}\" y=\"{y}\" width=\"{w}\" height=\"{}\" rx=\"8\" fill=\"{fill}\" stroke=\"{line}\" stroke-width=\"{stroke}\"/>",
            FORM_ROW - 8
        );
        let chars = (w / 8).max(4) as usize;
        let _ =
            writeln!(s, "<text x=\"{}\" y=\"{}\" font-weight=\"600\" fill=\"#1d2130\">{}</text>", x + 10, y + 22, esc(&fit(label, chars)));
        let _ = writeln!(
            s,
            "<text x=\"{}\" y=\"{}\" font-size=\"11\" fill=\"#6b7285\">{}</text>",
            x + 10,
            y + 40,
            esc(&fit(&format!("{kind} · {id}"), chars + 4))
        );
        badge(&mut s, *mark, x + w - 8, y + 14);
        let _ = writeln!(s, "</g>");
    }
    let submit = form.submit_label.as_deref().unwrap_or("Submit");
    let _ = writeln!(
        s,
        "<rect x=\"{}\" y=\"{}\" width=\"110\" height=\"28\" rx=\"6\" fill=\"#4f46e5\"/><text x=\"{}\" y=\"{}\" fill=\"#ffffff\" text-anchor=\"middle\" font-weight=\"600\">{}</text>",
        ox + 12,
        oy + rows * FORM_ROW + 8,
        ox + 67,
        oy + rows * FORM_ROW + 27,
        esc(&fit(submit, 14))
    );
    let _ = writeln!(s, "</svg>");
    s
}
