// The workflow canvas: steps as nodes, transitions as edges. Every change a
// person makes goes through the store's `edit`, so it can be undone.
import { useCallback, useMemo, useRef } from "react";
import {
  Background,
  Controls,
  MiniMap,
  ReactFlow,
  useReactFlow,
  useStore,
  type Connection,
  type Edge,
  type NodeChange,
  type NodeTypes,
} from "@xyflow/react";
import { addStep, connect, deleteSteps, disconnect } from "../doc";
import { STEP_KINDS, type Exit } from "../steps";
import type { StepKind } from "../ipc";
import { useEditor } from "../store";
import { editMaking } from "../docStore";
import { FAR_ZOOM, StepNode } from "./StepNode";
import { RunLights } from "./RunLights";
import { useMeasured } from "./useMeasured";
import { toEdges, toNodes, type StepNode as StepNodeType } from "./graph";

// Declared outside any component, as React Flow asks.
const nodeTypes: NodeTypes = { step: StepNode };

const miniColor = (n: { data: Record<string, unknown> }) => STEP_KINDS[n.data.kind as StepKind]?.color ?? "#999";

export function WorkflowCanvas() {
  const doc = useEditor((s) => s.doc);
  const selection = useEditor((s) => s.selection);
  const edit = useEditor((s) => s.edit);
  const select = useEditor((s) => s.select);
  const endGroup = useEditor((s) => s.endGroup);
  // Select stable references only: zustand re-renders when a selector's result changes identity.
  const info = useEditor((s) => s.info);
  const sources = useMemo(() => info?.sources.map((x) => x.id) ?? [], [info]);
  const flow = useReactFlow();
  const wrapper = useRef<HTMLDivElement>(null);

  const [measured, recordSizes] = useMeasured();
  // A node whose position, data, selection and size did not change keeps its
  // object, so React Flow redraws only what moved: dragging one node of a
  // thousand stays smooth.
  const previous = useRef(new Map<string, StepNodeType>());
  const nodes = useMemo(() => {
    if (!doc) return [];
    const next = new Map<string, StepNodeType>();
    const out = toNodes(doc, selection).map((n) => {
      const node = measured[n.id] ? { ...n, measured: measured[n.id] } : n;
      const old = previous.current.get(n.id);
      const same =
        old &&
        old.position.x === node.position.x &&
        old.position.y === node.position.y &&
        old.selected === node.selected &&
        old.measured === node.measured &&
        old.data.name === node.data.name &&
        old.data.kind === node.data.kind &&
        old.data.isStart === node.data.isStart;
      const kept = same ? old : node;
      next.set(n.id, kept);
      return kept;
    });
    previous.current = next;
    return out;
  }, [doc, selection, measured]);
  // Edges come from the steps only: moving a node leaves them as they are.
  const workflow = doc?.workflow;
  const edges = useMemo(() => (doc ? toEdges(doc) : []), [workflow]); // eslint-disable-line react-hooks/exhaustive-deps

  const onNodesChange = useCallback(
    (changes: NodeChange[]) => {
      recordSizes(changes);
      for (const c of changes) {
        if (c.type === "position" && c.position) {
          const { x, y } = c.position;
          // One drag is one undo step.
          edit((d) => ({ ...d, layout: { ...d.layout, nodes: { ...d.layout.nodes, [c.id]: { x: Math.round(x), y: Math.round(y) } } } }), `drag:${c.id}`);
          if (c.dragging === false) endGroup();
        } else if (c.type === "remove") {
          edit((d) => deleteSteps(d, [c.id]));
        }
      }
      const selected = changes.filter((c) => c.type === "select");
      if (selected.length) {
        const now = new Set(useEditor.getState().selection);
        for (const c of selected) {
          if (c.type !== "select") continue;
          if (c.selected) now.add(c.id);
          else now.delete(c.id);
        }
        select([...now]);
      }
    },
    [edit, endGroup, select, recordSizes],
  );

  const onConnect = useCallback(
    (c: Connection) => {
      if (c.source && c.target) edit((d) => connect(d, c.source, (c.sourceHandle ?? "next") as Exit, c.target));
    },
    [edit],
  );

  const onEdgesDelete = useCallback((gone: Edge[]) => edit((d) => gone.reduce((acc, e) => disconnect(acc, e.id), d)), [edit]);

  const onReconnect = useCallback(
    (old: Edge, c: Connection) => {
      if (c.target) edit((d) => connect(disconnect(d, old.id), old.source, (old.sourceHandle ?? "next") as Exit, c.target));
    },
    [edit],
  );

  const onDrop = useCallback(
    (e: React.DragEvent) => {
      const kind = e.dataTransfer.getData("application/x-atelier-step") as StepKind;
      if (!kind) return;
      e.preventDefault();
      const p = flow.screenToFlowPosition({ x: e.clientX, y: e.clientY });
      const added = editMaking(edit, (d) => addStep(d, kind, p.x, p.y, sources));
      if (added) select([added]);
    },
    [edit, flow, select, sources],
  );

  if (!doc) return <div className="canvas empty">Choose a workflow in the explorer, or create one.</div>;
  return (
    <div className="canvas" ref={wrapper} onDragOver={(e) => e.preventDefault()} onDrop={onDrop} data-testid="canvas">
      <ReactFlow
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        onNodesChange={onNodesChange}
        onConnect={onConnect}
        onEdgesDelete={onEdgesDelete}
        onReconnect={onReconnect}
        onPaneClick={() => select([])}
        deleteKeyCode={["Delete", "Backspace"]}
        multiSelectionKeyCode={["Shift", "Meta", "Control"]}
        fitView
        minZoom={0.1}
        proOptions={{ hideAttribution: true }}
      >
        <NearBackground />
        <RunLights />
        <MiniMap pannable zoomable nodeColor={miniColor} nodeStrokeWidth={2} style={{ width: 150, height: 100 }} />
        <Controls />
      </ReactFlow>
    </div>
  );
}

/**
 * The dotted grid, when zoomed near enough to see it. Far out its dots are a
 * grey haze that costs a third of every repaint of a 1,000-step canvas.
 */
function NearBackground() {
  const near = useStore((s) => s.transform[2] >= FAR_ZOOM);
  return near ? <Background gap={24} /> : null;
}
