// The compare view's model: two versions of a workflow drawn as one graph,
// each step marked added, removed, changed or moved. Pure, so it is tested
// without a canvas.
import type { Change, CompareView, Element, ElementKind, JsonValue, Step, WorkflowDoc } from "../ipc";
import { transitions } from "../steps";

export type DiffStatus = "added" | "removed" | "changed" | "moved";

export type CompareGraph = {
  /** Every step of both versions: the newer one where both have it. */
  doc: WorkflowDoc;
  status: Record<string, DiffStatus>;
  /** Transitions only the older version has, `source|property` → target. */
  removedEdges: { id: string; source: string; target: string }[];
};

const ABOUT_A_STEP: ElementKind[] = ["step", "step_code", "step_position"];

/** The step a change is about: its properties, its code or its position. */
export function stepOf(c: Change): string | null {
  return c.element && ABOUT_A_STEP.includes(c.element.kind) ? (c.element.id ?? null) : null;
}

/** An element in words, as the CLI's diff says it: `code of step convert`. */
export function elementLabel(e: Element): string {
  const id = e.id ?? "";
  const words: Record<ElementKind, string> = {
    step: `step ${id}`,
    step_code: `code of step ${id}`,
    step_position: `position of step ${id}`,
    test_case: `test case ${id}`,
    placement: "placement",
    required_secrets: "required secrets",
    entity: `entity ${id}`,
    field: `field ${id} of entity ${e.of ?? ""}`,
    enum: `enum ${id}`,
    entity_position: `position of entity ${id}`,
    field_order: `order of the fields of entity ${id}`,
    component: `component ${id}`,
    component_placement: `placement of component ${id}`,
  };
  return words[e.kind];
}

export function compareGraph(view: CompareView): CompareGraph {
  const before = view.before;
  const after = view.after ?? before!;
  const steps: Record<string, Step> = { ...(before && view.after ? before.workflow.steps : {}), ...after.workflow.steps } as Record<string, Step>;
  const nodes = { ...(before?.layout.nodes ?? {}), ...after.layout.nodes };
  const status: Record<string, DiffStatus> = {};
  for (const c of view.changes) {
    const step = stepOf(c);
    if (!step) continue;
    if (c.element?.kind === "step" && !c.property && c.kind !== "changed") status[step] = c.kind === "added" ? "added" : "removed";
    else if (c.layout) status[step] ??= "moved";
    else if (status[step] !== "added" && status[step] !== "removed") status[step] = "changed";
  }
  // A workflow added or removed as a whole: every step shares its fate.
  if (!view.before) for (const id of Object.keys(steps)) status[id] = "added";
  if (!view.after) for (const id of Object.keys(steps)) status[id] = "removed";
  const removedEdges: CompareGraph["removedEdges"] = [];
  if (before && view.after) {
    const now = new Set<string>();
    for (const [id, s] of Object.entries(after.workflow.steps)) for (const t of targets(s!)) now.add(`${id}>${t}`);
    for (const [id, s] of Object.entries(before.workflow.steps)) {
      for (const t of targets(s!)) if (!now.has(`${id}>${t}`) && t in steps) removedEdges.push({ id: `removed|${id}>${t}`, source: id, target: t });
    }
  }
  return { doc: { ...after, workflow: { ...after.workflow, steps }, layout: { ...after.layout, nodes } }, status, removedEdges };
}

/** Where a step leads, error routes aside (they are drawn apart). */
function targets(s: Step): string[] {
  return transitions(s).filter((t) => !t.error).map((t) => t.target);
}

/** A value as the diff shows it: short, one line. */
export function show(v: JsonValue | undefined): string {
  if (v === undefined) return "";
  const text = typeof v === "string" ? v : JSON.stringify(v);
  return text.length > 120 ? text.slice(0, 119) + "…" : text;
}

/** One change in words, without its artifact: `name: "Ask" → "Ask twice"`. */
export function describe(c: Change): string {
  const where = [c.element && elementLabel(c.element), c.property?.replaceAll("/", ".")].filter(Boolean).join(": ");
  if (c.text_diff) return `${where} ${c.kind}`;
  if (c.kind === "added") return c.property ? `${where} set to ${show(c.after)}` : `${where} added`;
  if (c.kind === "removed") return c.property ? `${where} unset (was ${show(c.before)})` : `${where} removed`;
  return `${where}: ${show(c.before)} → ${show(c.after)}`;
}
