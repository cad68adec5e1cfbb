// The form designer's grid: rows of 12 columns. Components come from the
// palette (click, or drag onto a spot), move by dragging, and resize by
// dragging their right edge; the keyboard does the same (arrows move, Alt+←/→
// resize). Every change is one undoable edit of the layout.
import { useRef, useState } from "react";
import { DndContext, PointerSensor, useDraggable, useDroppable, useSensor, useSensors, type DragEndEvent } from "@dnd-kit/core";
import type { ComponentKind, FormDoc, Placement } from "../ipc";
import { COMPONENT_KINDS, COMPONENT_PALETTE } from "./components";
import { COLUMNS, addComponent, moveComponent, ordered, resizeComponent, rowCount } from "./formDoc";
import { useFormEditor } from "./useFormEditor";
import { editMaking } from "../docStore";
import { ComponentIcon } from "./icons";
import { problemsAt, useEditor } from "../store";

function Cell({ row, column }: { row: number; column: number }) {
  const { setNodeRef, isOver } = useDroppable({ id: `cell:${row}:${column}` });
  return <div ref={setNodeRef} className={`grid-cell${isOver ? " over" : ""}`} style={{ gridRow: row + 1, gridColumn: column + 1 }} />;
}

function Placed({ id, p, doc, selected, onSelect }: { id: string; p: Placement; doc: FormDoc; selected: boolean; onSelect: () => void }) {
  const c = doc.form.components[id]!;
  const { attributes, listeners, setNodeRef, transform, isDragging } = useDraggable({ id: `move:${id}` });
  const edit = useFormEditor((s) => s.edit);
  const grid = useRef<HTMLDivElement | null>(null);
  const startResize = (e: React.PointerEvent) => {
    e.stopPropagation();
    e.preventDefault();
    const box = (e.currentTarget.parentElement!.parentElement as HTMLElement).getBoundingClientRect();
    const colWidth = box.width / COLUMNS;
    const start = e.clientX;
    const from = p.width;
    const onMove = (m: PointerEvent) => edit((d) => resizeComponent(d, id, from + Math.round((m.clientX - start) / colWidth)), `resize:${id}`);
    const onUp = () => {
      window.removeEventListener("pointermove", onMove);
      window.removeEventListener("pointerup", onUp);
    };
    window.addEventListener("pointermove", onMove);
    window.addEventListener("pointerup", onUp);
  };
  const spec = COMPONENT_KINDS[c.kind];
  const problems = useEditor((s) => problemsAt(s.info, `forms/${doc.id}/form.json`, `/components/${id}`).length);
  return (
    <div
      ref={(el) => {
        setNodeRef(el);
        grid.current = el;
      }}
      className={`placed kind-${c.kind}${selected ? " selected" : ""}${isDragging ? " dragging" : ""}${problems ? " has-problems" : ""}`}
      style={{ gridRow: p.row + 1, gridColumn: `${p.column + 1} / span ${p.width}`, transform: transform ? `translate(${transform.x}px, ${transform.y}px)` : undefined }}
      onClick={(e) => {
        e.stopPropagation();
        onSelect();
      }}
      onKeyDown={(e) => {
        const step = { ArrowLeft: [0, -1], ArrowRight: [0, 1], ArrowUp: [-1, 0], ArrowDown: [1, 0] }[e.key];
        if (!step) return;
        e.preventDefault();
        if (e.altKey && step[1]) edit((d) => resizeComponent(d, id, p.width + step[1]!));
        // Down goes past the next row (a spot that is taken opens a row there, before it).
        else edit((d) => moveComponent(d, id, p.row + (step[0] === 1 ? 2 : step[0]!), p.column + step[1]!));
      }}
      data-testid={`placed-${id}`}
      {...attributes}
      {...listeners}
      role="button"
      aria-label={`${spec.label} ${c.label || id}, row ${p.row + 1}, column ${p.column + 1}, ${p.width} wide`}
    >
      <ComponentIcon kind={c.kind} />
      <span className="placed-label">{c.kind === "divider" ? "— divider —" : c.label || id}</span>
      {c.field && <code className="placed-field">{c.field}</code>}
      {(c.visible_if || c.read_only_if) && <span className="placed-flag" title="Has conditions">if</span>}
      {problems > 0 && <span className="badge error" title={`${problems} problem(s): see the inspector`}>{problems}</span>}
      <span className="resize-handle" onPointerDown={startResize} title="Drag to resize" aria-hidden="true" />
    </div>
  );
}

export function FormCanvas() {
  const doc = useFormEditor((s) => s.doc);
  const selection = useFormEditor((s) => s.selection);
  const { edit, select } = useFormEditor.getState();
  const [dragging, setDragging] = useState(false);
  const sensors = useSensors(useSensor(PointerSensor, { activationConstraint: { distance: 4 } }));
  if (!doc) return <div className="canvas empty">Choose a form in the explorer.</div>;
  const rows = rowCount(doc) + 1;
  const add = (kind: ComponentKind) => {
    const after = selection[0] ? doc.layout.components[selection[0]]?.row : undefined;
    const added = editMaking(edit, (d) => addComponent(d, kind, after === undefined ? rowCount(d) : after + 1));
    if (added) select([added]);
  };
  const onDragEnd = (e: DragEndEvent) => {
    setDragging(false);
    const over = e.over?.id ? String(e.over.id).split(":") : null;
    if (!over || over[0] !== "cell") return;
    const [row, column] = [Number(over[1]), Number(over[2])];
    const what = String(e.active.id).split(":");
    if (what[0] === "move") edit((d) => moveComponent(d, what[1]!, row, column));
    if (what[0] === "new") {
      const added = editMaking(edit, (d) => addComponent(d, what[1] as ComponentKind, row, column));
      if (added) select([added]);
    }
  };
  return (
    <DndContext sensors={sensors} onDragStart={() => setDragging(true)} onDragEnd={onDragEnd} onDragCancel={() => setDragging(false)}>
      <div className="canvas form-canvas" onClick={() => select([])} data-testid="form-canvas">
        <nav className="form-palette" aria-label="Add a component" onClick={(e) => e.stopPropagation()}>
          <h3>Inputs</h3>
          {COMPONENT_PALETTE.filter((k) => k.spec.input).map(({ kind }) => (
            <PaletteItem key={kind} kind={kind} onAdd={() => add(kind)} />
          ))}
          <h3>Layout</h3>
          {COMPONENT_PALETTE.filter((k) => !k.spec.input).map(({ kind }) => (
            <PaletteItem key={kind} kind={kind} onAdd={() => add(kind)} />
          ))}
        </nav>
        <div className="form-sheet">
          <h2 className="form-title">{doc.form.name}</h2>
          <div className="form-grid" style={{ gridTemplateRows: `repeat(${rows}, minmax(44px, auto))` }}>
            {dragging && Array.from({ length: rows * COLUMNS }, (_, i) => <Cell key={i} row={Math.floor(i / COLUMNS)} column={i % COLUMNS} />)}
            {ordered(doc).map(([id, p]) => (
              <Placed key={id} id={id} p={p} doc={doc} selected={selection.includes(id)} onSelect={() => select([id])} />
            ))}
          </div>
          {Object.keys(doc.form.components).length === 0 && <p className="muted">Click a component in the palette, or drag it here.</p>}
          <div className="form-submit-preview">
            <button disabled>{doc.form.submit_label || "Submit"}</button>
          </div>
        </div>
      </div>
    </DndContext>
  );
}

/** One palette entry: click adds it below the selection (or at the end), drag places it. */
function PaletteItem({ kind, onAdd }: { kind: ComponentKind; onAdd: () => void }) {
  const { attributes, listeners, setNodeRef } = useDraggable({ id: `new:${kind}` });
  const spec = COMPONENT_KINDS[kind];
  return (
    <button ref={setNodeRef} {...attributes} {...listeners} onClick={onAdd} title={`Add ${spec.label} (click, or drag onto the form)`} data-testid={`add-component-${kind}`}>
      <ComponentIcon kind={kind} /> <span>{spec.label}</span>
    </button>
  );
}
