// The compare view's model: two versions of a workflow drawn as one graph,
// each step marked added, removed, changed or moved. Pure, so it is tested
// without a canvas.
import type { Change, CompareView, JsonValue, Step, WorkflowDoc } from "../ipc";
import { transitions } from "../steps";

export type DiffStatus = "added" | "removed" | "changed" | "moved";

export type CompareGraph = {
  /** Every step of both versions: the newer one where both have it. */
  doc: WorkflowDoc;
  status: Record<string, DiffStatus>;
  /** Transitions only the older version has, `source|property` → target. */
  removedEdges: { id: string; source: string; target: string }[];
};

/** The step a change is about: `step x`, `code of step x`, `position of step x`. */
export function stepOf(c: Change): string | null {
  const m = /^(?:code of |position of )?step (.+)$/.exec(c.element ?? "");
  return m ? m[1]! : null;
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
    if (c.element === `step ${step}` && !c.property && c.kind !== "changed") status[step] = c.kind === "added" ? "added" : "removed";
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
  const where = [c.element, c.property?.replaceAll("/", ".")].filter(Boolean).join(": ");
  if (c.text_diff) return `${where} ${c.kind}`;
  if (c.kind === "added") return c.property ? `${where} set to ${show(c.after)}` : `${where} added`;
  if (c.kind === "removed") return c.property ? `${where} unset (was ${show(c.before)})` : `${where} removed`;
  return `${where}: ${show(c.before)} → ${show(c.after)}`;
}
