// Pure edits of a workflow document. The canvas and inspector call these;
// the store records each result for undo. Nothing here touches IPC.
import type { ErrorPolicy, Step, StepKind, WorkflowDoc } from "./ipc";

export const KINDS: { kind: StepKind; label: string }[] = [
  { kind: "api_call", label: "API call" },
  { kind: "data_transform", label: "Transform" },
  { kind: "condition", label: "Condition" },
  { kind: "approval", label: "Approval" },
  { kind: "custom_code", label: "Code" },
  { kind: "end", label: "End" },
];

export const SCRIPT_TEMPLATE = "// `input` is the run's state; return the new state.\nfunction run(input) {\n  return { ...input };\n}\n";

/** A fresh id for a step of `kind`: `transform-1`, `transform-2`... */
export function freshId(doc: WorkflowDoc, kind: StepKind): string {
  const base = { api_call: "call", data_transform: "transform", condition: "check", approval: "approval", custom_code: "code", end: "end" }[kind];
  for (let i = 1; ; i++) {
    const id = `${base}-${i}`;
    if (!(id in doc.workflow.steps)) return id;
  }
}

export function defaultStep(kind: StepKind, name: string, sources: string[]): Step {
  switch (kind) {
    case "api_call":
      return { kind, name, source: sources[0] ?? "source", method: "GET", path: "/" };
    case "data_transform":
    case "custom_code":
      return { kind, name };
    case "condition":
      return { kind, name, branches: [] };
    case "approval":
      // Exits start unconnected; the design saves, and its problems say so.
      return { kind, name };
    case "end":
      return { kind, name };
  }
}

export function hasScript(kind: StepKind): boolean {
  return kind === "data_transform" || kind === "custom_code";
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
  const label = KINDS.find((k) => k.kind === kind)!.label;
  const steps = { ...doc.workflow.steps, [id]: defaultStep(kind, label, sources) };
  const scripts = hasScript(kind) ? { ...doc.scripts, [id]: SCRIPT_TEMPLATE } : doc.scripts;
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

/** Removes steps, their positions and scripts, and the optional transitions into them. */
export function deleteSteps(doc: WorkflowDoc, ids: string[]): WorkflowDoc {
  const gone = new Set(ids);
  const steps: Record<string, Step> = {};
  for (const [id, s] of Object.entries(doc.workflow.steps)) {
    if (!gone.has(id)) steps[id] = dropTransitionsTo(s!, gone);
  }
  const nodes = Object.fromEntries(Object.entries(doc.layout.nodes).filter(([id]) => !gone.has(id)));
  const scripts = Object.fromEntries(Object.entries(doc.scripts).filter(([id]) => !gone.has(id)));
  return { ...doc, workflow: { ...doc.workflow, steps }, layout: { ...doc.layout, nodes }, scripts };
}

function dropPolicy(p: ErrorPolicy | null | undefined, gone: Set<string>): ErrorPolicy | undefined {
  if (!p) return undefined;
  if (p.policy === "route" && gone.has(p.to)) return undefined;
  return p;
}

function dropTransitionsTo(s: Step, gone: Set<string>): Step {
  const t: Step = { ...s };
  if ("next" in t && t.next && gone.has(t.next)) delete t.next;
  if (t.kind === "condition") {
    t.branches = t.branches.filter((b) => !b.next || !gone.has(b.next));
    if (t.otherwise && gone.has(t.otherwise)) delete t.otherwise;
  }
  if ("on_error" in t) {
    const p = dropPolicy(t.on_error, gone);
    if (p) t.on_error = p;
    else delete t.on_error;
  }
  return t;
}

/** Which exit of a step a connection starts from. */
export type Exit = "next" | "branch" | "otherwise" | "approved" | "rejected";

export function exitsOf(kind: StepKind): Exit[] {
  switch (kind) {
    case "condition":
      return ["branch", "otherwise"];
    case "approval":
      return ["approved", "rejected"];
    case "end":
      return [];
    default:
      return ["next"];
  }
}

/** Connects `source`'s exit to `target` (a new branch for a condition's `branch` exit). */
export function connect(doc: WorkflowDoc, source: string, exit: Exit, target: string): WorkflowDoc {
  const s = doc.workflow.steps[source];
  if (!s || source === target) return doc;
  let t: Step = { ...s };
  if (t.kind === "condition") {
    if (exit === "otherwise") t.otherwise = target;
    else t.branches = [...t.branches, { label: "", when: "true", next: target }];
  } else if (t.kind === "approval") {
    t = exit === "rejected" ? { ...t, next_if_rejected: target } : { ...t, next_if_approved: target };
  } else if (t.kind !== "end") {
    t = { ...t, next: target };
  }
  return updateStep(doc, source, t);
}

/** Removes the transition an edge stands for (its id is `source|property`). */
export function disconnect(doc: WorkflowDoc, edgeId: string): WorkflowDoc {
  const [source, property] = edgeId.split("|");
  const s = doc.workflow.steps[source!];
  if (!s) return doc;
  const t: Step = { ...s };
  if (property === "next" && "next" in t) delete t.next;
  else if (property === "otherwise" && t.kind === "condition") delete t.otherwise;
  else if (property?.startsWith("branches/") && t.kind === "condition") {
    const i = Number(property.split("/")[1]);
    t.branches = t.branches.filter((_, j) => j !== i);
  } else if (property?.startsWith("on_error") && "on_error" in t) delete t.on_error;
  else if (property === "next_if_approved" && t.kind === "approval") delete t.next_if_approved;
  else if (property === "next_if_rejected" && t.kind === "approval") delete t.next_if_rejected;
  return updateStep(doc, source!, t);
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
    const json = JSON.stringify(step, (k, v) => (typeof v === "string" && (k === "next" || k === "otherwise" || k === "to" || k.startsWith("next_if")) && rename[v] ? rename[v] : v));
    steps[rename[id]!] = JSON.parse(json);
    if (clip.scripts[id] !== undefined) scripts[rename[id]!] = clip.scripts[id]!;
    const p = clip.nodes[id] ?? { x: 0, y: 0 };
    nodes[rename[id]!] = { x: p.x + 40, y: p.y + 40 };
  }
  out = { ...out, workflow: { ...out.workflow, steps }, scripts, layout: { ...out.layout, nodes } };
  return [out, Object.values(rename)];
}
