// The canvas's nodes and edges, derived from a workflow document. Pure.
import type { Edge, Node } from "@xyflow/react";
import dagre from "@dagrejs/dagre";
import type { StepKind, WorkflowDoc } from "../ipc";
import { transitions } from "../steps";

export type StepNodeData = { name: string; kind: StepKind; isStart: boolean; diff?: "added" | "removed" | "changed" | "moved" };
export type StepNode = Node<StepNodeData, "step">;

export const NODE_W = 200;
export const NODE_H = 64;

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
    for (const t of transitions(step!)) {
      if (!(t.target in doc.workflow.steps)) continue;
      edges.push({
        id: `${id}|${t.property}`,
        source: id,
        sourceHandle: t.handle,
        target: t.target,
        targetHandle: "in",
        label: t.label || undefined,
        className: t.error ? "edge-error" : undefined,
        animated: t.error,
        reconnectable: !t.error,
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
