// Pure edits of a form as its designer holds it (form + layout on a 12-column
// grid of rows). The grid and the inspector call these; the store records
// each for undo.
import type { Component, ComponentKind, FormDoc, Placement } from "../ipc";
import { COMPONENT_KINDS, makeComponent } from "./components";
import { freshKey } from "../models/modelDoc";

export const COLUMNS = 12;

/** Components in reading order: by row, then column; any without a place come last, a row each. */
export function ordered(doc: FormDoc): [string, Placement][] {
  const placed = Object.entries(doc.layout.components)
    .filter(([id]) => id in doc.form.components)
    .map(([id, p]) => [id, p!] as [string, Placement])
    .sort(([a, p], [b, q]) => p.row - q.row || p.column - q.column || a.localeCompare(b));
  const rows = rowCount(doc);
  const loose = Object.keys(doc.form.components).filter((id) => !(id in doc.layout.components)).sort();
  return [...placed, ...loose.map((id, i) => [id, { row: rows + i, column: 0, width: COLUMNS }] as [string, Placement])];
}

export function rowCount(doc: FormDoc): number {
  return Object.values(doc.layout.components).reduce((n, p) => Math.max(n, p!.row + 1), 0);
}

function overlaps(a: Placement, b: Placement): boolean {
  return a.row === b.row && a.column < b.column + b.width && b.column < a.column + a.width;
}

/** Places `id` at `at`; when the spot is taken, a new row opens there and the rows below move down. */
function place(placements: Record<string, Placement>, id: string, at: Placement): Record<string, Placement> {
  const width = Math.max(1, Math.min(COLUMNS, at.width));
  const column = Math.max(0, Math.min(COLUMNS - width, at.column));
  const target = { row: Math.max(0, at.row), column, width };
  const others = Object.entries(placements).filter(([k]) => k !== id);
  const taken = others.some(([, p]) => overlaps(p!, target));
  const out: Record<string, Placement> = {};
  for (const [k, p] of others) out[k] = taken && p!.row >= target.row ? { ...p!, row: p!.row + 1 } : p!;
  out[id] = target;
  return compact(out);
}

/** Removes empty rows, so the grid never has gaps. */
function compact(placements: Record<string, Placement>): Record<string, Placement> {
  const rows = [...new Set(Object.values(placements).map((p) => p.row))].sort((a, b) => a - b);
  const to = new Map(rows.map((r, i) => [r, i]));
  return Object.fromEntries(Object.entries(placements).map(([k, p]) => [k, { ...p, row: to.get(p.row)! }]));
}

export function addComponent(doc: FormDoc, kind: ComponentKind, row: number, column = 0, field?: { id: string; label: string }): [FormDoc, string] {
  const id = freshKey(doc.form.components, field?.id ?? kind.replace("_", "-"));
  const components = { ...doc.form.components, [id]: makeComponent(kind, field) };
  const placements = place(doc.layout.components as Record<string, Placement>, id, { row, column, width: COMPONENT_KINDS[kind].width });
  return [{ ...doc, form: { ...doc.form, components }, layout: { ...doc.layout, components: placements } }, id];
}

/** Where a component is, or (for one the layout does not place) where it shows: last, full width. */
function placementOf(doc: FormDoc, id: string): Placement | undefined {
  return doc.layout.components[id] ?? ordered(doc).find(([k]) => k === id)?.[1];
}

export function moveComponent(doc: FormDoc, id: string, row: number, column: number): FormDoc {
  const p = placementOf(doc, id);
  if (!p) return doc;
  return { ...doc, layout: { ...doc.layout, components: place(doc.layout.components as Record<string, Placement>, id, { ...p, row, column }) } };
}

/** A new width, as far as the row has room; a component never overlaps another. */
export function resizeComponent(doc: FormDoc, id: string, width: number): FormDoc {
  const p = placementOf(doc, id);
  if (!p) return doc;
  const others = Object.entries(doc.layout.components).filter(([k, q]) => k !== id && q!.row === p.row && q!.column > p.column);
  const room = Math.min(COLUMNS, ...others.map(([, q]) => q!.column)) - p.column;
  const w = Math.max(1, Math.min(room, width));
  if (w === p.width) return doc;
  return { ...doc, layout: { ...doc.layout, components: { ...doc.layout.components, [id]: { ...p, width: w } } } };
}

export function updateComponent(doc: FormDoc, id: string, c: Component): FormDoc {
  return { ...doc, form: { ...doc.form, components: { ...doc.form.components, [id]: c } } };
}

export function deleteComponent(doc: FormDoc, id: string): FormDoc {
  const components = Object.fromEntries(Object.entries(doc.form.components).filter(([k]) => k !== id));
  const placements = compact(Object.fromEntries(Object.entries(doc.layout.components).filter(([k]) => k !== id)) as Record<string, Placement>);
  return { ...doc, form: { ...doc.form, components }, layout: { ...doc.layout, components: placements } };
}
