// The canvas's nodes and edges, derived from a workflow document. Pure.
import type { Edge, Node } from "@xyflow/react";
import dagre from "@dagrejs/dagre";
import type { Step, StepKind, WorkflowDoc } from "../ipc";

export type StepNodeData = { name: string; kind: StepKind; isStart: boolean; diff?: "added" | "removed" | "changed" | "moved" };
export type StepNode = Node<StepNodeData, "step">;

export const NODE_W = 200;
export const NODE_H = 64;

/** Every transition of a step: [property path, label, target, source handle, is error]. */
export function transitions(step: Step): [string, string, string, string, boolean][] {
  const out: [string, string, string, string, boolean][] = [];
  switch (step.kind) {
    case "condition":
      step.branches.forEach((b, i) => b.next && out.push([`branches/${i}/next`, b.label || b.when, b.next, "branch", false]));
      if (step.otherwise) out.push(["otherwise", "otherwise", step.otherwise, "otherwise", false]);
      break;
    case "approval":
      if (step.next_if_approved) out.push(["next_if_approved", "approved", step.next_if_approved, "approved", false]);
      if (step.next_if_rejected) out.push(["next_if_rejected", "rejected", step.next_if_rejected, "rejected", false]);
      break;
    case "end":
      break;
    default:
      if (step.next) out.push(["next", "", step.next, "next", false]);
  }
  if (step.kind !== "end" && step.on_error) {
    const p = step.on_error;
    if (p.policy === "route") out.push(["on_error/to", "on error", p.to, "error", true]);
    if (p.policy === "retry" && p.then && p.then.policy === "route") out.push(["on_error/then/to", "after retries", p.then.to, "error", true]);
  }
  return out;
}

export function toNodes(doc: WorkflowDoc, selection: string[]): StepNode[] {
  const sel = new Set(selection);
  return Object.entries(doc.workflow.steps).map(([id, s], i) => ({
    id,
    type: "step" as const,
    position: doc.layout.nodes[id] ?? { x: (i % 5) * 260, y: Math.floor(i / 5) * 140 },
    data: { name: s!.name, kind: s!.kind, isStart: doc.workflow.start === id },
    selected: sel.has(id),
  }));
}

export function toEdges(doc: WorkflowDoc): Edge[] {
  const edges: Edge[] = [];
  for (const [id, step] of Object.entries(doc.workflow.steps)) {
    for (const [prop, label, target, handle, isError] of transitions(step!)) {
      if (!(target in doc.workflow.steps)) continue;
      edges.push({
        id: `${id}|${prop}`,
        source: id,
        sourceHandle: handle,
        target,
        targetHandle: "in",
        label: label || undefined,
        className: isError ? "edge-error" : undefined,
        animated: isError,
        reconnectable: !isError,
      });
    }
  }
  return edges;
}

/** Positions for every step, top to bottom, by dagre. */
export function autoLayout(doc: WorkflowDoc): Record<string, { x: number; y: number }> {
  const g = new dagre.graphlib.Graph();
  g.setGraph({ rankdir: "TB", nodesep: 50, ranksep: 70 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const id of Object.keys(doc.workflow.steps)) g.setNode(id, { width: NODE_W, height: NODE_H });
  for (const e of toEdges(doc)) g.setEdge(e.source, e.target);
  dagre.layout(g);
  const out: Record<string, { x: number; y: number }> = {};
  for (const id of Object.keys(doc.workflow.steps)) {
    const n = g.node(id);
    out[id] = { x: Math.round(n.x - NODE_W / 2), y: Math.round(n.y - NODE_H / 2) };
  }
  return out;
}
