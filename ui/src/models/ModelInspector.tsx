// The selected entity's fields as a grid (one row each, details below the
// row when opened), or the selected enum's values, or the model's own name.
// Deleting asks first, listing every form and workflow that uses what goes.
import { useEffect, useState } from "react";
import { errorText, ipc, type Field, type FieldType, type Usage } from "../ipc";
import { Field as Labeled } from "../inspector/controls";
import { Modal } from "../Modal";
import { editMaking } from "../docStore";
import { FIELD_TYPES, FIELD_TYPE_LIST, FieldTypeIcon } from "./fieldTypes";
import { addField, deleteEntity, deleteEnum, deleteField, fieldOrder, moveField, renameField, setEnumValues, slug, updateEntity, updateField } from "./modelDoc";
import { selected, useFieldFocus, useModelEditor } from "./useModelEditor";
import { ElementActions } from "../find/ElementActions";
import { ExamplesEditor } from "./ExamplesEditor";
import { ConstraintsEditor } from "./ConstraintsEditor";
import { problemsAt, useEditor } from "../store";

const num = (s: string): number | undefined => (s.trim() === "" || Number.isNaN(Number(s)) ? undefined : Number(s));

function FieldDetails({ entity, id, field, put }: { entity: string; id: string; field: Field; put: (f: Field) => void }) {
  // The model only (not its layout), so dragging an entity redraws no inspector.
  const doc = { model: useModelEditor((s) => s.doc!.model) };
  const model = useModelEditor((s) => s.doc?.id);
  const t = FIELD_TYPES[field.type];
  const set = (patch: Partial<Field>) => {
    const next = { ...field, ...patch } as Record<string, unknown>;
    for (const [k, v] of Object.entries(patch)) if (v === undefined || v === "" || v === false) delete next[k];
    put(next as Field);
  };
  return (
    <div className="field-details" data-testid={`field-details-${id}`}>
      {field.type === "enum" && (
        <Labeled label="Choices from">
          <select value={field.enum ?? ""} onChange={(e) => set({ enum: e.target.value || undefined })}>
            <option value="">— choose —</option>
            {Object.keys(doc.model.enums ?? {}).map((n) => (
              <option key={n} value={n}>{n}</option>
            ))}
          </select>
        </Labeled>
      )}
      {field.type === "reference" && (
        <Labeled label="Refers to entity">
          <select value={field.entity ?? ""} onChange={(e) => set({ entity: e.target.value || undefined })} data-testid="field-entity">
            <option value="">— choose —</option>
            {Object.keys(doc.model.entities).map((n) => (
              <option key={n} value={n}>{n}</option>
            ))}
          </select>
        </Labeled>
      )}
      <div className="checks">
        <label className="check"><input type="checkbox" checked={!!field.list} onChange={(e) => set({ list: e.target.checked })} /> List of values{field.type === "reference" ? " (many-to-many)" : ""}</label>
        <label className="check"><input type="checkbox" checked={!!field.key} onChange={(e) => set({ key: e.target.checked })} /> Key</label>
        <label className="check"><input type="checkbox" checked={!!field.unique} onChange={(e) => set({ unique: e.target.checked })} /> Unique</label>
      </div>
      {t.numeric && (
        <div className="pair">
          <Labeled label="Minimum"><input inputMode="decimal" value={field.min ?? ""} onChange={(e) => set({ min: num(e.target.value) })} /></Labeled>
          <Labeled label="Maximum"><input inputMode="decimal" value={field.max ?? ""} onChange={(e) => set({ max: num(e.target.value) })} /></Labeled>
        </div>
      )}
      {t.textual && (
        <>
          <div className="pair">
            <Labeled label="Min length"><input inputMode="numeric" value={field.min_length ?? ""} onChange={(e) => set({ min_length: num(e.target.value) })} /></Labeled>
            <Labeled label="Max length"><input inputMode="numeric" value={field.max_length ?? ""} onChange={(e) => set({ max_length: num(e.target.value) })} data-testid="field-max-length" /></Labeled>
          </div>
          <Labeled label="Pattern (regular expression)"><input className="mono" value={field.pattern ?? ""} onChange={(e) => set({ pattern: e.target.value || undefined })} placeholder="^[A-Z]{3}$" /></Labeled>
        </>
      )}
      <Labeled label="Default">
        <input
          value={field.default === undefined || field.default === null ? "" : typeof field.default === "string" ? field.default : JSON.stringify(field.default)}
          onChange={(e) => {
            const v = e.target.value;
            const parsed = t.numeric ? num(v) : field.type === "boolean" ? (v === "true" ? true : v === "false" ? false : undefined) : v || undefined;
            set({ default: parsed });
          }}
          placeholder={field.type === "boolean" ? "true or false" : ""}
        />
      </Labeled>
      <Labeled label="Description"><input value={field.description ?? ""} onChange={(e) => set({ description: e.target.value })} /></Labeled>
      <p className="muted small">Id <code>{id}</code> of <code>{entity}</code>: forms and workflows refer to it; Rename changes it everywhere.</p>
      {model && <ElementActions address={`models/${model}/entities/${entity}/fields/${id}`} label={`field ${id}`} />}
    </div>
  );
}

/** Asks before a delete, naming what uses the thing. */
function ConfirmDelete({ what, usages, onCancel, onConfirm }: { what: string; usages: Usage[]; onCancel: () => void; onConfirm: () => void }) {
  return (
    <Modal title={`Delete ${what}?`} onClose={onCancel} testId="confirm-delete">
      <h2>Delete {what}?</h2>
      {usages.length === 0 ? (
        <p>Nothing else uses it.</p>
      ) : (
        <>
          <p>These use it and will show problems until they are changed:</p>
          <ul className="usages" data-testid="usages">
            {usages.map((u, i) => (
              <li key={i}><code>{u.file}</code>: {u.what}</li>
            ))}
          </ul>
        </>
      )}
      <div className="start-actions">
        <button onClick={onCancel}>Cancel</button>
        <button className="danger" onClick={onConfirm} data-testid="confirm-delete-button">Delete</button>
      </div>
    </Modal>
  );
}

export function ModelInspector() {
  // The model and id only, not the layout: dragging an entity does not redraw the inspector.
  const id = useModelEditor((s) => s.doc?.id);
  const model = useModelEditor((s) => s.doc?.model);
  const doc = id !== undefined && model ? { id, model } : null;
  const selection = useModelEditor((s) => s.selection);
  const info = useEditor((s) => s.info);
  const sel = selected(selection);
  // Of the layout, only the selected entity's field order (a drag leaves it alone).
  const order = useModelEditor((s) => (sel?.kind === "entity" ? s.doc?.layout.fields?.[sel.id] : undefined));
  const { edit, select } = useModelEditor.getState();
  const [open, setOpen] = useState<string | null>(null);
  // A jump to a field (search, references) opens its row and shows it.
  const focus = useFieldFocus((s) => s.field);
  useEffect(() => {
    if (!focus) return;
    setOpen(focus);
    useFieldFocus.getState().set(null);
    setTimeout(() => document.querySelector(`[data-testid="field-row-${CSS.escape(focus)}"]`)?.scrollIntoView({ block: "center" }), 50);
  }, [focus]);
  const [asking, setAsking] = useState<{ what: string; usages: Usage[]; run: () => void } | null>(null);
  const [error, setError] = useState("");
  if (!doc) return null;
  const ask = async (what: string, entity: string, field: string | null, run: () => void) => {
    try {
      setAsking({ what, usages: await ipc.usages(doc.id, entity, field), run });
    } catch (e) {
      // A new entity or field is not saved yet: nothing can use it.
      setAsking({ what, usages: [], run });
      setError(errorText(e));
    }
  };
  const dialog = asking && (
    <ConfirmDelete
      what={asking.what}
      usages={asking.usages}
      onCancel={() => setAsking(null)}
      onConfirm={() => {
        asking.run();
        setAsking(null);
      }}
    />
  );

  if (sel?.kind === "enum") {
    const values = doc.model.enums?.[sel.id]?.values ?? [];
    return (
      <aside className="inspector wide" data-testid="model-inspector">
        <h2>◇ {sel.id}</h2>
        <p className="muted">A choice: the values an enum field may take, one per line.</p>
        <textarea className="mono" rows={Math.max(4, values.length + 1)} value={values.join("\n")} onChange={(e) => edit((d) => setEnumValues(d, sel.id, e.target.value.split("\n").map((v) => v.trim()).filter((v, i, a) => v !== "" || i === a.length - 1)), `enum:${sel.id}`)} aria-label="Values" data-testid="enum-values" />
        <div className="start-actions">
          <button
            className="danger"
            onClick={() => {
              const usages = Object.entries(doc.model.entities).flatMap(([eid, e]) =>
                Object.entries(e!.fields).filter(([, f]) => f!.type === "enum" && f!.enum === sel.id).map(([fid]) => ({ file: `models/${doc.id}.json`, what: `field \`${fid}\` of entity \`${eid}\` takes its choices` })),
              );
              setAsking({ what: `enum ${sel.id}`, usages, run: () => { edit((d) => deleteEnum(d, sel.id)); select([]); } });
            }}
          >
            Delete enum
          </button>
        </div>
        {dialog}
      </aside>
    );
  }
  const eid = sel?.kind === "entity" ? sel.id : null;
  const entity = eid ? doc.model.entities[eid] : undefined;
  if (!eid || !entity) {
    return (
      <aside className="inspector wide" data-testid="model-inspector">
        <h2>{doc.model.name}</h2>
        <ElementActions address={`models/${doc.id}`} label={`model ${doc.id}`} />
        <p className="muted">{Object.keys(doc.model.entities).length} entities · {Object.keys(doc.model.enums ?? {}).length} choices. Select an entity to edit its fields.</p>
        <Labeled label="Model name">
          <input value={doc.model.name} onChange={(e) => edit((d) => ({ ...d, model: { ...d.model, name: e.target.value } }), "model-name")} />
        </Labeled>
        <Labeled label="Description">
          <textarea rows={3} value={doc.model.description ?? ""} onChange={(e) => edit((d) => ({ ...d, model: { ...d.model, description: e.target.value } }), "model-desc")} />
        </Labeled>
      </aside>
    );
  }
  const put = (fid: string, f: Field) => edit((d) => updateField(d, eid, fid, f), `field:${eid}:${fid}`);
  return (
    <aside className="inspector wide" data-testid="model-inspector">
      <h2>{entity.name || eid}</h2>
      <p className="muted">Entity · <code>{eid}</code></p>
      <ElementActions address={`models/${doc.id}/entities/${eid}`} label={`entity ${eid}`} />
      {problemsAt(info, `models/${doc.id}.json`, `/entities/${eid}`).map((x, i) => (
        <div key={i} className={`problem ${x.severity}`} data-testid="entity-problem">{x.element?.replace(`/entities/${eid}/`, "")}: {x.message}</div>
      ))}
      {error && <div className="problem warning">{error}</div>}
      <Labeled label="Entity name">
        <input value={entity.name} onChange={(e) => edit((d) => updateEntity(d, eid, { ...entity, name: e.target.value }), `entity-name:${eid}`)} data-testid="entity-name" />
      </Labeled>
      <table className="field-grid" data-testid="field-grid">
        <thead>
          <tr><th /><th /><th>Id</th><th>Label</th><th>Type</th><th title="Required">Req.</th><th /></tr>
        </thead>
        <tbody>
          {fieldOrder(order, entity).map((fid, i, all) => (
            <FieldRow
              key={fid}
              entity={eid}
              id={fid}
              field={entity.fields[fid]!}
              open={open === fid}
              onToggle={() => setOpen(open === fid ? null : fid)}
              put={(x) => put(fid, x)}
              onMove={(by) => edit((d) => moveField(d, eid, fid, by))}
              first={i === 0}
              last={i === all.length - 1}
              onDelete={() => ask(`field ${fid}`, eid, fid, () => edit((d) => deleteField(d, eid, fid)))}
            />
          ))}
        </tbody>
      </table>
      <div className="start-actions">
        <button
          onClick={() => {
            setOpen(editMaking(edit, (d) => addField(d, eid)) ?? null);
          }}
          data-testid="add-field"
        >
          + Field
        </button>
        <button className="danger" onClick={() => ask(`entity ${eid}`, eid, null, () => { edit((d) => deleteEntity(d, eid)); select([]); })} data-testid="delete-entity">Delete entity</button>
      </div>
      <ConstraintsEditor eid={eid} entity={entity} order={order} />
      <ExamplesEditor eid={eid} entity={entity} order={order} />
      {dialog}
    </aside>
  );
}

type FieldRowProps = {
  entity: string;
  id: string;
  field: Field;
  open: boolean;
  onToggle: () => void;
  put: (f: Field) => void;
  /** Moves the field up (-1) or down (1) in the drawn order. */
  onMove: (by: number) => void;
  first: boolean;
  last: boolean;
  onDelete: () => void;
};

function FieldRow({ entity, id, field, open, onToggle, put, onMove, first, last, onDelete }: FieldRowProps) {
  const edit = useModelEditor((s) => s.edit);
  const [draftId, setDraftId] = useState(id);
  return (
    <>
      <tr
        className={open ? "open" : ""}
        data-testid={`field-row-${id}`}
        onKeyDown={(e) => {
          // Alt+↑/↓ anywhere in the row moves the field, as Alt+arrows move a form's component.
          if (!e.altKey || (e.key !== "ArrowUp" && e.key !== "ArrowDown")) return;
          e.preventDefault();
          onMove(e.key === "ArrowUp" ? -1 : 1);
        }}
      >
        <td className="mover">
          <button onClick={() => onMove(-1)} disabled={first} aria-label={`Move field ${id} up`} title="Move up (Alt+↑)" data-testid="field-up">↑</button>
          <button onClick={() => onMove(1)} disabled={last} aria-label={`Move field ${id} down`} title="Move down (Alt+↓)" data-testid="field-down">↓</button>
        </td>
        <td><FieldTypeIcon type={field.type} /></td>
        <td>
          <input
            className="mono id-input"
            aria-label={`Id of field ${id}`}
            value={draftId}
            onChange={(e) => setDraftId(slug(e.target.value) || e.target.value)}
            onBlur={() => (draftId !== id ? edit((d) => renameField(d, entity, id, draftId)) : undefined)}
            data-testid="field-id"
          />
        </td>
        <td><input aria-label={`Label of field ${id}`} value={field.label} onChange={(e) => put({ ...field, label: e.target.value })} data-testid="field-label" /></td>
        <td>
          <select aria-label={`Type of field ${id}`} value={field.type} onChange={(e) => put({ ...field, type: e.target.value as FieldType })} data-testid="field-type">
            {FIELD_TYPE_LIST.map(({ kind, spec }) => (
              <option key={kind} value={kind}>{spec.label}</option>
            ))}
          </select>
        </td>
        <td><input type="checkbox" aria-label={`Field ${id} is required`} checked={!!field.required} onChange={(e) => put({ ...field, required: e.target.checked || undefined } as Field)} data-testid="field-required" /></td>
        <td className="row-actions">
          <button className="icon" onClick={onToggle} aria-expanded={open} aria-label={`More about field ${id}`} data-testid="field-more">{open ? "▾" : "▸"}</button>
          <button className="icon" onClick={onDelete} aria-label={`Delete field ${id}`}>×</button>
        </td>
      </tr>
      {open && (
        <tr className="details">
          <td colSpan={7}><FieldDetails entity={entity} id={id} field={field} put={put} /></td>
        </tr>
      )}
    </>
  );
}
