// Pure edits of a data model as its designer holds it (model + layout). The
// canvas and the field grid call these; the store records each for undo.
import type { Constraint, DataModel, Entity, Field, FieldType, JsonValue, ModelDoc, ModelLayout } from "../ipc";
import dagre from "@dagrejs/dagre";

export const ENTITY_W = 240;
/** An entity node's height: its header and one row per field. */
/** An entity node's height as drawn: its head, then one 22px row per field (see designers.css). */
export const entityHeight = (e: Entity) => 45 + Object.keys(e.fields).length * 22;

/** `Expense claim` → `expense-claim`: an id from a name, as ids are slugs. */
export function slug(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 64);
}

/** The first of `base`, `base-2`, `base-3`... that `taken` does not have. */
export function freshKey(taken: Record<string, unknown>, base: string): string {
  const b = slug(base) || "item";
  if (!(b in taken)) return b;
  for (let i = 2; ; i++) if (!(`${b}-${i}` in taken)) return `${b}-${i}`;
}

const withModel = (doc: ModelDoc, model: DataModel): ModelDoc => ({ ...doc, model });

const byId = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** An entity's field ids in drawn order: those the layout lists first (once,
 *  and only those the entity has), then the rest by id, as Rust orders them. */
export function fieldOrder(listed: string[] | undefined, entity: Entity): string[] {
  const out: string[] = [];
  for (const f of listed ?? []) if (f in entity.fields && !out.includes(f)) out.push(f);
  if (out.length < Object.keys(entity.fields).length) for (const f of Object.keys(entity.fields).sort(byId)) if (!out.includes(f)) out.push(f);
  return out;
}

/** The model with each entity's fields listed in drawn order (object keys keep
 *  the order they were added in), for lists that should read as the model does. */
export function inDrawnOrder(doc: ModelDoc): DataModel {
  const entities = Object.fromEntries(
    Object.entries(doc.model.entities).map(([id, e]) => [id, { ...e!, fields: Object.fromEntries(fieldOrder(doc.layout.fields?.[id], e!).map((f) => [f, e!.fields[f]!])) }]),
  );
  return { ...doc.model, entities };
}

/** The layout with `order` for `entity`, left out when it is just the id order (the file stays small). */
function withOrder(layout: ModelLayout, entity: string, order: string[] | null): ModelLayout {
  const fields = { ...(layout.fields ?? {}) };
  const plain = order === null || order.every((f, i) => i === 0 || byId(order[i - 1]!, f) < 0);
  if (plain) delete fields[entity];
  else fields[entity] = order;
  const rest = withoutKeys(layout, ["fields"]);
  return Object.keys(fields).length ? { ...rest, fields } : rest;
}

/** Moves field `id` of `entity` `by` places up (negative) or down in the drawn order. */
export function moveField(doc: ModelDoc, entity: string, id: string, by: number): ModelDoc {
  const e = doc.model.entities[entity];
  if (!e) return doc;
  const order = fieldOrder(doc.layout.fields?.[entity], e);
  const from = order.indexOf(id);
  const to = Math.max(0, Math.min(order.length - 1, from + by));
  if (from < 0 || from === to) return doc;
  order.splice(to, 0, ...order.splice(from, 1));
  return { ...doc, layout: withOrder(doc.layout, entity, order) };
}

export function addEntity(doc: ModelDoc, x: number, y: number): [ModelDoc, string] {
  const id = freshKey(doc.model.entities, "entity");
  const entity: Entity = { name: "New entity", fields: { name: { label: "Name", type: "string", required: true } } };
  const next = withModel(doc, { ...doc.model, entities: { ...doc.model.entities, [id]: entity } });
  return [{ ...next, layout: { ...next.layout, entities: { ...next.layout.entities, [id]: { x: Math.round(x), y: Math.round(y) } } } }, id];
}

export function updateEntity(doc: ModelDoc, id: string, entity: Entity): ModelDoc {
  return withModel(doc, { ...doc.model, entities: { ...doc.model.entities, [id]: entity } });
}

/** Removes an entity, its position, and the references to it (they become text fields). */
export function deleteEntity(doc: ModelDoc, id: string): ModelDoc {
  const entities: Record<string, Entity> = {};
  for (const [eid, e] of Object.entries(doc.model.entities)) {
    if (eid === id || !e) continue;
    const fields: Record<string, Field> = {};
    for (const [fid, f] of Object.entries(e.fields)) {
      if (!f) continue;
      fields[fid] = f.type === "reference" && f.entity === id ? { ...withoutKeys(f, ["entity"]), type: "string" } : f;
    }
    entities[eid] = { ...e, fields };
  }
  const positions = Object.fromEntries(Object.entries(doc.layout.entities).filter(([k]) => k !== id));
  return { ...doc, model: { ...doc.model, entities }, layout: withOrder({ ...doc.layout, entities: positions }, id, null) };
}

function withoutKeys<T extends object>(o: T, keys: string[]): T {
  return Object.fromEntries(Object.entries(o).filter(([k]) => !keys.includes(k))) as T;
}

export function addField(doc: ModelDoc, entity: string, type: FieldType = "string"): [ModelDoc, string] {
  const e = doc.model.entities[entity];
  if (!e) return [doc, ""];
  const id = freshKey(e.fields, "field");
  const field: Field = { label: "New field", type };
  // A new field goes last, where the person clicked "+ Field".
  const order = [...fieldOrder(doc.layout.fields?.[entity], e), id];
  const next = updateEntity(doc, entity, { ...e, fields: { ...e.fields, [id]: field } });
  return [{ ...next, layout: withOrder(next.layout, entity, order) }, id];
}

/** Replaces a field; a changed type drops the settings that no longer apply. */
export function updateField(doc: ModelDoc, entity: string, id: string, field: Field): ModelDoc {
  const e = doc.model.entities[entity];
  if (!e) return doc;
  let f = field;
  if (f.type !== "enum") f = withoutKeys(f, ["enum"]);
  if (f.type !== "reference") f = withoutKeys(f, ["entity"]);
  if (f.type !== "integer" && f.type !== "decimal") f = withoutKeys(f, ["min", "max"]);
  if (!["string", "text", "email"].includes(f.type)) f = withoutKeys(f, ["min_length", "max_length", "pattern"]);
  return updateEntity(doc, entity, { ...e, fields: { ...e.fields, [id]: f } });
}

/** Gives a field a new id (allowed only before anything uses it; the designer warns). */
export function renameField(doc: ModelDoc, entity: string, from: string, to: string): ModelDoc {
  const e = doc.model.entities[entity];
  const id = slug(to);
  if (!e || !id || id === from || id in e.fields) return doc;
  const fields = Object.fromEntries(Object.entries(e.fields).map(([k, v]) => [k === from ? id : k, v]));
  // It keeps its place in the drawn order.
  const order = fieldOrder(doc.layout.fields?.[entity], e).map((f) => (f === from ? id : f));
  const next = updateEntity(doc, entity, { ...e, fields });
  return { ...next, layout: withOrder(next.layout, entity, order) };
}

export function deleteField(doc: ModelDoc, entity: string, id: string): ModelDoc {
  const e = doc.model.entities[entity];
  if (!e) return doc;
  const order = fieldOrder(doc.layout.fields?.[entity], e).filter((f) => f !== id);
  const next = updateEntity(doc, entity, { ...e, fields: withoutKeys(e.fields, [id]) });
  return { ...next, layout: withOrder(next.layout, entity, order) };
}

/** Sets (or with null removes) one of the entity's rules about a whole record. */
export function setConstraint(doc: ModelDoc, entity: string, id: string, c: Constraint | null): ModelDoc {
  const e = doc.model.entities[entity];
  if (!e) return doc;
  const next = { ...(e.constraints ?? {}) };
  if (c) next[id] = c;
  else delete next[id];
  return updateEntity(doc, entity, Object.keys(next).length ? { ...e, constraints: next } : withoutKeys(e, ["constraints"]));
}

/** Sets the entity's example records (none: the key goes). */
export function setExamples(doc: ModelDoc, entity: string, examples: Record<string, JsonValue>[]): ModelDoc {
  const e = doc.model.entities[entity];
  if (!e) return doc;
  return updateEntity(doc, entity, examples.length ? { ...e, examples } : withoutKeys(e, ["examples"]));
}

export function addEnum(doc: ModelDoc, x: number, y: number): [ModelDoc, string] {
  const id = freshKey(doc.model.enums ?? {}, "choice");
  const model = { ...doc.model, enums: { ...(doc.model.enums ?? {}), [id]: { values: ["first", "second"] } } };
  const enums = { ...(doc.layout.enums ?? {}), [id]: { x: Math.round(x), y: Math.round(y) } };
  return [{ ...doc, model, layout: { ...doc.layout, enums } }, id];
}

export function setEnumValues(doc: ModelDoc, id: string, values: string[]): ModelDoc {
  return withModel(doc, { ...doc.model, enums: { ...(doc.model.enums ?? {}), [id]: { values } } });
}

export function deleteEnum(doc: ModelDoc, id: string): ModelDoc {
  const enums = withoutKeys(doc.model.enums ?? {}, [id]);
  const positions = withoutKeys(doc.layout.enums ?? {}, [id]);
  return { ...doc, model: { ...doc.model, enums }, layout: { ...doc.layout, enums: positions } };
}

export function move(doc: ModelDoc, kind: "entity" | "enum", id: string, x: number, y: number): ModelDoc {
  const p = { x: Math.round(x), y: Math.round(y) };
  if (kind === "entity") return { ...doc, layout: { ...doc.layout, entities: { ...doc.layout.entities, [id]: p } } };
  return { ...doc, layout: { ...doc.layout, enums: { ...(doc.layout.enums ?? {}), [id]: p } } };
}

/** A reference between entities as the canvas draws it. */
export type Relation = { id: string; source: string; field: string; target: string; many: boolean; label: string };

/** Every reference field: one edge each; a list of references is many-to-many. */
export function relations(model: DataModel): Relation[] {
  const out: Relation[] = [];
  for (const [eid, e] of Object.entries(model.entities)) {
    for (const [fid, f] of Object.entries(e!.fields)) {
      if (f!.type === "reference" && f!.entity && f!.entity in model.entities) {
        out.push({ id: `${eid}|${fid}`, source: eid, field: fid, target: f!.entity, many: !!f!.list, label: `${f!.label} ${f!.list ? "∗ ↔ ∗" : "∗ → 1"}` });
      }
    }
  }
  return out;
}

/** Positions for every entity and enum, left to right along references, by dagre. */
export function autoLayout(doc: ModelDoc): ModelDoc {
  const g = new dagre.graphlib.Graph();
  g.setGraph({ rankdir: "LR", nodesep: 40, ranksep: 90 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const [id, e] of Object.entries(doc.model.entities)) g.setNode(`e:${id}`, { width: ENTITY_W, height: entityHeight(e!) });
  for (const [id, n] of Object.entries(doc.model.enums ?? {})) g.setNode(`n:${id}`, { width: 180, height: 44 + n!.values.length * 22 });
  for (const r of relations(doc.model)) g.setEdge(`e:${r.source}`, `e:${r.target}`);
  for (const [id, e] of Object.entries(doc.model.entities)) {
    for (const f of Object.values(e!.fields)) if (f!.type === "enum" && f!.enum && g.hasNode(`n:${f!.enum}`)) g.setEdge(`e:${id}`, `n:${f!.enum}`);
  }
  dagre.layout(g);
  const at = (key: string, w: number) => {
    const n = g.node(key);
    return { x: Math.round(n.x - w / 2), y: Math.round(n.y - n.height / 2) };
  };
  const entities = Object.fromEntries(Object.keys(doc.model.entities).map((id) => [id, at(`e:${id}`, ENTITY_W)]));
  const enums = Object.fromEntries(Object.keys(doc.model.enums ?? {}).map((id) => [id, at(`n:${id}`, 180)]));
  return { ...doc, layout: { ...doc.layout, entities, enums } };
}
