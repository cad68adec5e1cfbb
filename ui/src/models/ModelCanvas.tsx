// The data-model canvas: entities as nodes listing their fields, enums beside
// them, references as edges with their cardinality. Dragging from an entity's
// handle to another makes a reference; positions go to the layout file only.
import { memo, useCallback, useEffect, useMemo, useRef, useState } from "react";
import { Background, Controls, Handle, MiniMap, Position, ReactFlow, useReactFlow, type Connection, type Edge, type Node, type NodeChange, type NodeProps, type NodeTypes, type Viewport } from "@xyflow/react";
import type { Entity, EnumType } from "../ipc";
import { FieldTypeIcon, FIELD_TYPES } from "./fieldTypes";
import { ENTITY_W, entityHeight, fieldOrder, freshKey, move, relations, updateEntity } from "./modelDoc";
import { useMeasured } from "../canvas/useMeasured";
import { useModelEditor } from "./useModelEditor";
import { problemsAt, useEditor } from "../store";

type EntityData = { entity: Entity; id: string; order: string[] | undefined; problems: number; far: boolean };

/** Below this zoom a field's text is too small to read, so an entity draws its rows as blank lines
 * of the same height: 300 entities × 20 fields stay cheap to open and drag when all are in view.
 * A big model starts far (before its first fit), so its first draw is the cheap one too. */
const FAR_ZOOM = 0.45;
const ROW_H = 22;
type EnumData = { values: EnumType["values"]; id: string };

function EntityNodeView({ data, selected }: NodeProps<Node<EntityData, "entity">>) {
  const fields = fieldOrder(data.order, data.entity).map((fid) => [fid, data.entity.fields[fid]] as const);
  const { far, problems } = data;
  return (
    <div className={`entity-node${selected ? " selected" : ""}${problems ? " has-problems" : ""}`} style={{ width: ENTITY_W }} data-testid={`entity-${data.id}`}>
      <Handle type="target" position={Position.Left} id="in" />
      <div className="entity-head">
        <span className="entity-name">{data.entity.name || data.id}</span>
        <code className="entity-id">{data.id}</code>
        {problems > 0 && <span className="badge error" title={`${problems} problem(s): see the inspector`}>{problems}</span>}
      </div>
      {far ? (
        <div className="entity-fields far" style={{ height: fields.length * ROW_H }} title={`${fields.length} fields: zoom in to read them`} />
      ) : (
      <ul className="entity-fields">
        {fields.map(([fid, f]) => (
          <li key={fid} title={FIELD_TYPES[f!.type].label}>
            <FieldTypeIcon type={f!.type} />
            <span className={`field-name${f!.key ? " key" : ""}`}>{fid}</span>
            <span className="field-type">
              {f!.type === "reference" ? `→ ${f!.entity ?? "?"}` : f!.type === "enum" ? `◇ ${f!.enum ?? "?"}` : FIELD_TYPES[f!.type].label}
              {f!.list ? " [ ]" : ""}
              {f!.required ? " *" : ""}
            </span>
          </li>
        ))}
      </ul>
      )}
      <Handle type="source" position={Position.Right} id="out" title="Drag to another entity to add a reference" />
    </div>
  );
}

function EnumNodeView({ data, selected }: NodeProps<Node<EnumData, "enum">>) {
  return (
    <div className={`enum-node${selected ? " selected" : ""}`} data-testid={`enum-${data.id}`}>
      <div className="entity-head">
        <span className="entity-name">◇ {data.id}</span>
        <span className="muted small">choice</span>
      </div>
      <ul className="entity-fields">
        {data.values.slice(0, 12).map((v) => (
          <li key={v}>{v}</li>
        ))}
        {data.values.length > 12 && <li className="muted">… {data.values.length - 12} more</li>}
      </ul>
    </div>
  );
}

const nodeTypes: NodeTypes = { entity: memo(EntityNodeView), enum: memo(EnumNodeView) };

export function ModelCanvas() {
  const doc = useModelEditor((s) => s.doc);
  const selection = useModelEditor((s) => s.selection);
  const { edit, select } = useModelEditor.getState();
  const [measured, recordSizes] = useMeasured();
  // Fitted as soon as a model's nodes are in: their sizes are known before they are measured.
  const flow = useReactFlow();
  useEffect(() => {
    if (doc?.id) void flow.fitView({ padding: 0.2 });
  }, [doc?.id]); // eslint-disable-line react-hooks/exhaustive-deps
  const info = useEditor((s) => s.info);
  // Problems per entity, counted once per validation rather than by each of 300 nodes.
  const problems = useMemo(() => {
    const count = new Map<string, number>();
    if (!doc) return count;
    for (const p of problemsAt(info, `models/${doc.id}.json`, "/entities")) {
      const id = (p.element ?? "").split("/")[2];
      if (id) count.set(id, (count.get(id) ?? 0) + 1);
    }
    return count;
  }, [info, doc?.id]); // eslint-disable-line react-hooks/exhaustive-deps
  // Edge labels are unreadable when zoomed far out and cost a text measure each.
  // Zoomed far or not, for the model it was seen on; a model not yet moved is far when it is big.
  const [zoomed, setZoomed] = useState<{ model: string | undefined; far: boolean }>({ model: undefined, far: false });
  const far = zoomed.model === doc?.id ? zoomed.far : Object.keys(doc?.model.entities ?? {}).length > 30;
  const docId = useRef(doc?.id);
  docId.current = doc?.id;
  const onMove = useCallback((_: unknown, vp: Viewport) => {
    const next = { model: docId.current, far: vp.zoom < FAR_ZOOM };
    setZoomed((z) => (z.model === next.model && z.far === next.far ? z : next));
  }, []);
  // Unchanged nodes keep their objects, so a drag redraws only what moved.
  const previous = useRef(new Map<string, Node>());
  const nodes = useMemo(() => {
    if (!doc) return [];
    const sel = new Set(selection);
    const next = new Map<string, Node>();
    const keep = (bare: Node) => {
      const n = measured[bare.id] ? { ...bare, measured: measured[bare.id] } : bare;
      const old = previous.current.get(n.id);
      const same =
        old && old.position.x === n.position.x && old.position.y === n.position.y && old.selected === n.selected && old.data === n.data && old.measured === n.measured;
      const kept = same ? old : n;
      next.set(n.id, kept);
      return kept;
    };
    const out: Node[] = [];
    Object.entries(doc.model.entities).forEach(([id, e], i) => {
      const key = `entity:${id}`;
      const position = doc.layout.entities[id] ?? { x: (i % 6) * 300, y: Math.floor(i / 6) * 360 };
      const data = previous.current.get(key)?.data as EntityData | undefined;
      const problemCount = problems.get(id) ?? 0;
      const order = doc.layout.fields?.[id];
      const fresh = data && data.entity === e && data.order === order && data.problems === problemCount && data.far === far;
      // A size to go on until it is measured: the node shows, and the view fits, at once.
      const initialHeight = entityHeight(e!);
      out.push(keep({ id: key, type: "entity", position, initialWidth: ENTITY_W, initialHeight, data: fresh ? data : { entity: e!, id, order, problems: problemCount, far }, selected: sel.has(key) }));
    });
    Object.entries(doc.model.enums ?? {}).forEach(([id, n], i) => {
      const key = `enum:${id}`;
      const position = doc.layout.enums?.[id] ?? { x: i * 220, y: -220 };
      const data = previous.current.get(key)?.data as EnumData | undefined;
      out.push(keep({ id: key, type: "enum", position, data: data && data.values === n!.values ? data : { values: n!.values, id }, selected: sel.has(key) }));
    });
    previous.current = next;
    return out;
  }, [doc, selection, measured, problems, far]);
  const model = doc?.model;
  const edges: Edge[] = useMemo(
    () =>
      model
        ? relations(model).map((r) => ({
            id: r.id,
            source: `entity:${r.source}`,
            sourceHandle: "out",
            target: `entity:${r.target}`,
            targetHandle: "in",
            label: far ? undefined : r.label,
            className: r.many ? "edge-many" : undefined,
          }))
        : [],
    [model, far],
  );

  const onNodesChange = useCallback(
    (changes: NodeChange[]) => {
      recordSizes(changes);
      for (const c of changes) {
        if (c.type === "position" && c.position) {
          const [kind, id] = c.id.split(":");
          edit((d) => move(d, kind as "entity" | "enum", id!, c.position!.x, c.position!.y), `drag:${c.id}`);
        }
      }
      const picked = changes.filter((c) => c.type === "select");
      if (picked.length) {
        const now = new Set(useModelEditor.getState().selection);
        for (const c of picked) {
          if (c.type !== "select") continue;
          if (c.selected) now.add(c.id);
          else now.delete(c.id);
        }
        select([...now]);
      }
    },
    [edit, select, recordSizes],
  );

  const onConnect = useCallback(
    (c: Connection) => {
      const [sk, source] = (c.source ?? "").split(":");
      const [tk, target] = (c.target ?? "").split(":");
      if (sk !== "entity" || tk !== "entity" || !source || !target) return;
      edit((d) => {
        const e = d.model.entities[source];
        const t = d.model.entities[target];
        if (!e || !t) return d;
        const id = freshKey(e.fields, target);
        return updateEntity(d, source, { ...e, fields: { ...e.fields, [id]: { label: t.name, type: "reference", entity: target } } });
      });
    },
    [edit],
  );

  if (!doc) return <div className="canvas empty">Choose a model in the explorer.</div>;
  return (
    <div className="canvas" data-testid="model-canvas">
      <ReactFlow
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        onNodesChange={onNodesChange}
        onConnect={onConnect}
        onMove={onMove}
        onPaneClick={() => select([])}
        deleteKeyCode={null}
        onlyRenderVisibleElements
        minZoom={0.05}
        proOptions={{ hideAttribution: true }}
      >
        <Background gap={24} />
        <MiniMap pannable zoomable nodeColor={(n) => (n.type === "enum" ? "#f3c4d0" : "#c7d2fe")} nodeStrokeWidth={2} style={{ width: 150, height: 100 }} />
        <Controls />
      </ReactFlow>
    </div>
  );
}
