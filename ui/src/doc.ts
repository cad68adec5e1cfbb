// Pure edits of a workflow document. The canvas and inspector call these;
// the store records each result for undo. Nothing here touches IPC.
import type { Step, StepKind, WorkflowDoc } from "./ipc";
import { retarget, SCRIPT_TEMPLATE, specOf, type Exit } from "./steps";

/** A fresh id for a step of `kind`: `transform-1`, `transform-2`... */
export function freshId(doc: WorkflowDoc, kind: StepKind): string {
  const base = specOf(kind).idBase;
  for (let i = 1; ; i++) {
    const id = `${base}-${i}`;
    if (!(id in doc.workflow.steps)) return id;
  }
}

/** The nearest spot at or below (x, y) that no step occupies, so new steps never pile up. */
export function freeSpot(doc: WorkflowDoc, x: number, y: number): { x: number; y: number } {
  const taken = Object.values(doc.layout.nodes);
  let p = { x: Math.round(x), y: Math.round(y) };
  while (taken.some((n) => Math.abs(n.x - p.x) < 180 && Math.abs(n.y - p.y) < 70)) p = { x: p.x + 30, y: p.y + 90 };
  return p;
}

export function addStep(doc: WorkflowDoc, kind: StepKind, x0: number, y0: number, sources: string[]): [WorkflowDoc, string] {
  const id = freshId(doc, kind);
  const { x, y } = freeSpot(doc, x0, y0);
  const spec = specOf(kind);
  const steps = { ...doc.workflow.steps, [id]: spec.make(spec.label, sources) };
  const scripts = spec.script ? { ...doc.scripts, [id]: SCRIPT_TEMPLATE } : doc.scripts;
  const nodes = { ...doc.layout.nodes, [id]: { x: Math.round(x), y: Math.round(y) } };
  return [{ ...doc, workflow: { ...doc.workflow, steps }, scripts, layout: { ...doc.layout, nodes } }, id];
}

export function moveStep(doc: WorkflowDoc, id: string, x: number, y: number): WorkflowDoc {
  const nodes = { ...doc.layout.nodes, [id]: { x: Math.round(x), y: Math.round(y) } };
  return { ...doc, layout: { ...doc.layout, nodes } };
}

export function updateStep(doc: WorkflowDoc, id: string, step: Step): WorkflowDoc {
  return { ...doc, workflow: { ...doc.workflow, steps: { ...doc.workflow.steps, [id]: step } } };
}

export function setScript(doc: WorkflowDoc, id: string, code: string): WorkflowDoc {
  return { ...doc, scripts: { ...doc.scripts, [id]: code } };
}

/** Removes steps, their positions and scripts, and the transitions into them. */
export function deleteSteps(doc: WorkflowDoc, ids: string[]): WorkflowDoc {
  const gone = new Set(ids);
  const steps: Record<string, Step> = {};
  for (const [id, s] of Object.entries(doc.workflow.steps)) {
    if (!gone.has(id)) steps[id] = retarget(s!, (t) => (gone.has(t) ? null : t));
  }
  const nodes = Object.fromEntries(Object.entries(doc.layout.nodes).filter(([id]) => !gone.has(id)));
  const scripts = Object.fromEntries(Object.entries(doc.scripts).filter(([id]) => !gone.has(id)));
  return { ...doc, workflow: { ...doc.workflow, steps }, layout: { ...doc.layout, nodes }, scripts };
}

/** Connects `source`'s exit to `target` (a new branch for a condition's `branch` exit). */
export function connect(doc: WorkflowDoc, source: string, exit: Exit, target: string): WorkflowDoc {
  const s = doc.workflow.steps[source];
  if (!s || source === target) return doc;
  return updateStep(doc, source, specOf(s.kind).connect(s, exit, target));
}

/** Removes the transition an edge stands for (its id is `source|property`). */
export function disconnect(doc: WorkflowDoc, edgeId: string): WorkflowDoc {
  const [source, property] = edgeId.split("|");
  const s = doc.workflow.steps[source!];
  if (!s) return doc;
  return updateStep(doc, source!, retarget(s, (t, p) => (p === property ? null : t)));
}

/** Copies of `ids` (with scripts), offset, under fresh ids; transitions among them are kept. */
export function pasteSteps(doc: WorkflowDoc, clip: { steps: Record<string, Step>; scripts: Record<string, string>; nodes: Record<string, { x: number; y: number }> }): [WorkflowDoc, string[]] {
  let out = doc;
  const rename: Record<string, string> = {};
  for (const [id, step] of Object.entries(clip.steps)) {
    rename[id] = freshId({ ...out, workflow: { ...out.workflow, steps: { ...out.workflow.steps, ...Object.fromEntries(Object.values(rename).map((r) => [r, step])) } } }, step.kind);
  }
  const steps = { ...out.workflow.steps };
  const scripts = { ...out.scripts };
  const nodes = { ...out.layout.nodes };
  for (const [id, step] of Object.entries(clip.steps)) {
    steps[rename[id]!] = retarget(step, (t) => rename[t] ?? t);
    if (clip.scripts[id] !== undefined) scripts[rename[id]!] = clip.scripts[id]!;
    const p = clip.nodes[id] ?? { x: 0, y: 0 };
    nodes[rename[id]!] = { x: p.x + 40, y: p.y + 40 };
  }
  out = { ...out, workflow: { ...out.workflow, steps }, scripts, layout: { ...out.layout, nodes } };
  return [out, Object.values(rename)];
}
