// The selected component's properties: its binding (only fields it can
// edit are offered), texts and their translations, when it shows or is
// read-only (a condition builder, never code), and its validation rules.
import type { Component, Condition, DataModel, Field, FormDoc, JsonValue, Rule } from "../ipc";
import { Field as Labeled } from "../inspector/controls";
import { COMPONENT_KINDS } from "./components";
import { ComponentIcon } from "./icons";
import { deleteComponent, resizeComponent, updateComponent } from "./formDoc";
import { useFormEditor } from "./useFormEditor";
import { problemsAt, useEditor } from "../store";
import { ElementActions } from "../find/ElementActions";

type Compare = Extract<Condition, { field: string }>;
const OPS: { op: Compare["op"]; label: string; value: "one" | "many" | "none" }[] = [
  { op: "eq", label: "is", value: "one" },
  { op: "ne", label: "is not", value: "one" },
  { op: "gt", label: ">", value: "one" },
  { op: "ge", label: "≥", value: "one" },
  { op: "lt", label: "<", value: "one" },
  { op: "le", label: "≤", value: "one" },
  { op: "in", label: "is one of", value: "many" },
  { op: "filled", label: "is filled", value: "none" },
  { op: "empty", label: "is empty", value: "none" },
];

/** A condition as the builder edits it: comparisons joined by all or any. */
type Flat = { join: "all" | "any"; terms: Compare[] };

function flatten(c: Condition | null | undefined): Flat | null {
  if (!c) return { join: "all", terms: [] };
  if (c.op === "all" || c.op === "any") {
    const terms = c.of.filter((x): x is Compare => "field" in x);
    return terms.length === c.of.length ? { join: c.op, terms } : null;
  }
  return "field" in c ? { join: "all", terms: [c] } : null;
}

function unflatten(f: Flat): Condition | undefined {
  if (f.terms.length === 0) return undefined;
  if (f.terms.length === 1) return f.terms[0];
  return { op: f.join, of: f.terms };
}

/** A typed value from what was typed: numbers for number fields, booleans for yes/no. */
function valueFor(field: Field | undefined, text: string): JsonValue {
  if (field && (field.type === "integer" || field.type === "decimal") && text.trim() !== "" && !Number.isNaN(Number(text))) return Number(text);
  if (field?.type === "boolean") return text === "true";
  return text;
}

function ConditionEditor({ label, value, fields, model, onChange, testId }: { label: string; value: Condition | null | undefined; fields: Record<string, Field>; model: DataModel | null; onChange: (c: Condition | undefined) => void; testId: string }) {
  const flat = flatten(value);
  if (!flat) {
    return (
      <div className="field">
        <span>{label}</span>
        <p className="muted small">A nested condition, kept as the file has it. <button className="link" onClick={() => onChange(undefined)}>Remove it</button></p>
      </div>
    );
  }
  const set = (f: Flat) => onChange(unflatten(f));
  const term = (i: number, t: Compare) => set({ ...flat, terms: flat.terms.map((x, j) => (j === i ? t : x)) });
  const first = Object.keys(fields)[0] ?? "";
  return (
    <div className="field condition" data-testid={testId}>
      <span>
        {label}
        {flat.terms.length > 1 && (
          <select className="inline" value={flat.join} onChange={(e) => set({ ...flat, join: e.target.value as "all" | "any" })} aria-label="Join">
            <option value="all">all of</option>
            <option value="any">any of</option>
          </select>
        )}
      </span>
      {flat.terms.map((t, i) => {
        const op = OPS.find((o) => o.op === t.op)!;
        const def = fields[t.field];
        const choices = def?.type === "enum" && def.enum ? (model?.enums?.[def.enum]?.values ?? []) : null;
        const shown = "value" in t ? (typeof t.value === "string" ? t.value : JSON.stringify(t.value)) : "values" in t ? t.values.map((v) => (typeof v === "string" ? v : JSON.stringify(v))).join(", ") : "";
        return (
          <div className="condition-term" key={i}>
            <select aria-label="Field" value={t.field} onChange={(e) => term(i, { ...t, field: e.target.value })}>
              {Object.entries(fields).map(([id, f]) => (
                <option key={id} value={id}>{f!.label || id}</option>
              ))}
            </select>
            <select
              aria-label="Comparison"
              value={t.op}
              onChange={(e) => {
                const next = OPS.find((o) => o.op === e.target.value)!;
                const base = { field: t.field };
                term(i, (next.value === "none" ? { op: next.op, ...base } : next.value === "many" ? { op: "in", ...base, values: [] } : { op: next.op, ...base, value: "value" in t ? t.value : "" }) as Compare);
              }}
            >
              {OPS.map((o) => (
                <option key={o.op} value={o.op}>{o.label}</option>
              ))}
            </select>
            {op.value === "one" && choices ? (
              <select aria-label="Value" value={shown} onChange={(e) => term(i, { ...t, value: e.target.value } as Compare)}>
                <option value="">—</option>
                {choices.map((c) => (
                  <option key={c} value={c}>{c}</option>
                ))}
              </select>
            ) : op.value !== "none" ? (
              <input
                aria-label="Value"
                value={shown}
                placeholder={op.value === "many" ? "a, b, c" : "value"}
                onChange={(e) =>
                  term(i, (op.value === "many" ? { ...t, values: e.target.value.split(",").map((v) => valueFor(def, v.trim())).filter((v) => v !== "") } : { ...t, value: valueFor(def, e.target.value) }) as Compare)
                }
              />
            ) : null}
            <button className="icon" aria-label="Remove this condition" onClick={() => set({ ...flat, terms: flat.terms.filter((_, j) => j !== i) })}>×</button>
          </div>
        );
      })}
      <button className="link" onClick={() => first && set({ ...flat, terms: [...flat.terms, { op: "filled", field: first }] })} disabled={!first} data-testid={`${testId}-add`}>
        + condition
      </button>
    </div>
  );
}

const RULES: { kind: Rule["kind"]; label: string; value: "number" | "text" | "none" }[] = [
  { kind: "required", label: "Required", value: "none" },
  { kind: "min", label: "At least", value: "number" },
  { kind: "max", label: "At most", value: "number" },
  { kind: "min_length", label: "Min. length", value: "number" },
  { kind: "max_length", label: "Max. length", value: "number" },
  { kind: "pattern", label: "Matches", value: "text" },
];

function RulesEditor({ rules, onChange }: { rules: Rule[]; onChange: (r: Rule[]) => void }) {
  const put = (i: number, r: Rule) => onChange(rules.map((x, j) => (j === i ? r : x)));
  return (
    <div className="field" data-testid="rules">
      <span>Validation rules</span>
      {rules.map((r, i) => {
        const spec = RULES.find((x) => x.kind === r.kind)!;
        return (
          <div className="rule" key={i}>
            <select
              aria-label="Rule"
              value={r.kind}
              onChange={(e) => {
                const k = e.target.value as Rule["kind"];
                const s = RULES.find((x) => x.kind === k)!;
                put(i, (s.value === "none" ? { kind: k, message: r.message } : s.value === "text" ? { kind: k, pattern: "", message: r.message } : { kind: k, value: 0, message: r.message }) as Rule);
              }}
            >
              {RULES.map((x) => (
                <option key={x.kind} value={x.kind}>{x.label}</option>
              ))}
            </select>
            {spec.value === "number" && "value" in r && (
              <input aria-label="Value" inputMode="decimal" value={String(r.value)} onChange={(e) => put(i, { ...r, value: Number(e.target.value) || 0 } as Rule)} className="short" />
            )}
            {r.kind === "pattern" && <input aria-label="Pattern" className="mono" value={r.pattern} onChange={(e) => put(i, { ...r, pattern: e.target.value })} placeholder="^[A-Z]+$" />}
            <input aria-label="Message" value={r.message} onChange={(e) => put(i, { ...r, message: e.target.value })} placeholder="The message the person sees" data-testid="rule-message" />
            <button className="icon" aria-label="Remove this rule" onClick={() => onChange(rules.filter((_, j) => j !== i))}>×</button>
          </div>
        );
      })}
      <button className="link" onClick={() => onChange([...rules, { kind: "required", message: "Please fill this in." }])} data-testid="add-rule">+ rule</button>
    </div>
  );
}

function Translations({ c, languages, put }: { c: Component; languages: string[]; put: (c: Component) => void }) {
  const tr = c.translations ?? {};
  return (
    <div className="field" data-testid="translations">
      <span>Translations</span>
      {languages.map((lang) => {
        const t = tr[lang] ?? {};
        const set = (k: "label" | "help", v: string) => put({ ...c, translations: { ...tr, [lang]: { ...t, [k]: v || undefined } } });
        return (
          <div className="translation" key={lang}>
            <code>{lang}</code>
            <input aria-label={`Label in ${lang}`} value={t.label ?? ""} placeholder={c.label} onChange={(e) => set("label", e.target.value)} />
            <input aria-label={`Help in ${lang}`} value={t.help ?? ""} placeholder={c.help || "help"} onChange={(e) => set("help", e.target.value)} />
          </div>
        );
      })}
      {languages.length === 0 && <p className="muted small">Add a language in the form's settings to translate its texts.</p>}
    </div>
  );
}

/** Every language the form's texts are translated to. */
export function languagesOf(doc: FormDoc): string[] {
  const all = new Set<string>();
  for (const c of Object.values(doc.form.components)) for (const l of Object.keys(c!.translations ?? {})) all.add(l);
  for (const l of Object.keys(doc.form.translations ?? {})) all.add(l);
  return [...all].sort();
}

export function ComponentInspector({ model, extraLanguages, onAddLanguage }: { model: DataModel | null; extraLanguages: string[]; onAddLanguage: (l: string) => void }) {
  const doc = useFormEditor((s) => s.doc);
  const selection = useFormEditor((s) => s.selection);
  const info = useEditor((s) => s.info);
  const { edit, select } = useFormEditor.getState();
  if (!doc) return null;
  const entity = model?.entities[doc.form.entity];
  const fields = (entity?.fields ?? {}) as Record<string, Field>;
  const languages = [...new Set([...languagesOf(doc), ...extraLanguages])].sort();
  const id = selection.length === 1 ? selection[0]! : null;
  const c = id ? doc.form.components[id] : undefined;
  if (!id || !c) {
    return (
      <aside className="inspector" data-testid="form-inspector">
        <h2>{doc.form.name}</h2>
        <ElementActions address={`forms/${doc.id}`} label={`form ${doc.id}`} />
        <p className="muted">A form over <code>{doc.form.model}</code> · <code>{doc.form.entity}</code>. Select a component to edit it.</p>
        {model && (
          <Labeled label="Edits records of">
            <select
              value={doc.form.entity}
              onChange={(e) => {
                const to = e.target.value;
                const bound = Object.values(doc.form.components).some((x) => x!.field);
                if (bound && !window.confirm(`Components are bound to fields of ${doc.form.entity}. Bind the form to ${to}? Fields ${to} lacks will show as problems.`)) return;
                edit((d) => ({ ...d, form: { ...d.form, entity: to } }));
              }}
              data-testid="form-entity"
            >
              {!(doc.form.entity in model.entities) && <option value={doc.form.entity}>{doc.form.entity} (missing)</option>}
              {Object.entries(model.entities).map(([eid, e]) => (
                <option key={eid} value={eid}>{e!.name || eid} ({eid})</option>
              ))}
            </select>
          </Labeled>
        )}
        <Labeled label="Form name">
          <input value={doc.form.name} onChange={(e) => edit((d) => ({ ...d, form: { ...d.form, name: e.target.value } }), "form-name")} />
        </Labeled>
        <Labeled label="Submit button">
          <input value={doc.form.submit_label ?? ""} placeholder="Submit" onChange={(e) => edit((d) => ({ ...d, form: { ...d.form, submit_label: e.target.value || null } }), "form-submit")} />
        </Labeled>
        <Labeled label="Language of its texts">
          <input value={doc.form.language ?? ""} placeholder="en" onChange={(e) => edit((d) => ({ ...d, form: { ...d.form, language: e.target.value || null } }), "form-lang")} />
        </Labeled>
        <form
          className="path-row"
          onSubmit={(e) => {
            e.preventDefault();
            const input = (e.currentTarget.elements.namedItem("lang") as HTMLInputElement);
            const l = input.value.trim().toLowerCase();
            if (/^[a-z]{2,3}(-[a-z0-9]{1,8})*$/.test(l)) onAddLanguage(l);
            input.value = "";
          }}
        >
          <input name="lang" aria-label="Add a translation language" placeholder="add a language: de, fr, pt-br" data-testid="add-language" />
          <button type="submit">Add</button>
        </form>
        {languages.length > 0 && (
          <div className="field" data-testid="form-translations">
            <span>Name and submit button, translated</span>
            {languages.map((lang) => {
              const tr = doc.form.translations ?? {};
              const t = tr[lang] ?? {};
              const set = (k: "name" | "submit_label", v: string) =>
                edit((d) => ({ ...d, form: { ...d.form, translations: { ...(d.form.translations ?? {}), [lang]: { ...t, [k]: v || undefined } } } }), `form-tr:${lang}:${k}`);
              return (
                <div className="translation" key={lang}>
                  <code>{lang}</code>
                  <input aria-label={`Form name in ${lang}`} value={t.name ?? ""} placeholder={doc.form.name} onChange={(e) => set("name", e.target.value)} />
                  <input aria-label={`Submit button in ${lang}`} value={t.submit_label ?? ""} placeholder={doc.form.submit_label || "Submit"} onChange={(e) => set("submit_label", e.target.value)} />
                </div>
              );
            })}
          </div>
        )}
      </aside>
    );
  }
  const spec = COMPONENT_KINDS[c.kind];
  const put = (next: Component, group?: string) => edit((d) => updateComponent(d, id, next), group);
  const fitting = Object.entries(fields).filter(([, f]) => spec.fits(f));
  const bound = c.field ? fields[c.field] : undefined;
  const enumValues = bound?.type === "enum" && bound.enum ? (model?.enums?.[bound.enum]?.values ?? []) : [];
  const p = doc.layout.components[id];
  const problems = problemsAt(info, `forms/${doc.id}/form.json`, `/components/${id}`);
  return (
    <aside className="inspector" data-testid="form-inspector">
      <h2><ComponentIcon kind={c.kind} /> {c.label || id}</h2>
      <p className="muted">{spec.label} · <code>{id}</code></p>
      <ElementActions address={`forms/${doc.id}/components/${id}`} label={`component ${id}`} />
      {problems.map((x, i) => (
        <div key={i} className={`problem ${x.severity}`} data-testid="component-problem">{x.message}</div>
      ))}
      {spec.input && (
        <Labeled label="Edits field">
          <select value={c.field ?? ""} onChange={(e) => put({ ...c, field: e.target.value || null, label: c.label === spec.label && e.target.value ? (fields[e.target.value]?.label ?? c.label) : c.label })} data-testid="component-field">
            <option value="">— choose a field —</option>
            {fitting.map(([fid, f]) => (
              <option key={fid} value={fid}>{f.label} ({fid})</option>
            ))}
            {c.field && !fitting.some(([fid]) => fid === c.field) && <option value={c.field}>{c.field} (does not fit)</option>}
          </select>
        </Labeled>
      )}
      {c.kind !== "divider" && (
        <Labeled label={c.kind === "text" ? "Text" : "Label"}>
          <input value={c.label} onChange={(e) => put({ ...c, label: e.target.value }, `label:${id}`)} data-testid="component-label" />
        </Labeled>
      )}
      {spec.input && (
        <>
          <Labeled label="Help">
            <input value={c.help ?? ""} onChange={(e) => put({ ...c, help: e.target.value }, `help:${id}`)} />
          </Labeled>
          <Labeled label="Placeholder">
            <input value={c.placeholder ?? ""} onChange={(e) => put({ ...c, placeholder: e.target.value }, `ph:${id}`)} />
          </Labeled>
          <label className="check"><input type="checkbox" checked={!!c.read_only} onChange={(e) => put({ ...c, read_only: e.target.checked })} /> Always read-only</label>
        </>
      )}
      {enumValues.length > 0 && (c.kind === "select" || c.kind === "radio") && (
        <div className="field">
          <span>Offer these choices</span>
          {enumValues.map((v) => {
            const on = !c.options || c.options.includes(v);
            return (
              <label className="check" key={v}>
                <input
                  type="checkbox"
                  checked={on}
                  onChange={(e) => {
                    const now = c.options ?? enumValues;
                    const next = e.target.checked ? enumValues.filter((x) => now.includes(x) || x === v) : now.filter((x) => x !== v);
                    put({ ...c, options: next.length === enumValues.length ? null : next });
                  }}
                />
                {v}
              </label>
            );
          })}
        </div>
      )}
      <ConditionEditor label="Show only when" value={c.visible_if} fields={fields} model={model} onChange={(v) => put({ ...c, visible_if: v ?? null }, `vis:${id}`)} testId="visible-if" />
      {spec.input && <ConditionEditor label="Read-only when" value={c.read_only_if} fields={fields} model={model} onChange={(v) => put({ ...c, read_only_if: v ?? null }, `ro:${id}`)} testId="read-only-if" />}
      {spec.input && <RulesEditor rules={c.rules ?? []} onChange={(r) => put({ ...c, rules: r }, `rules:${id}`)} />}
      {c.kind !== "divider" && <Translations c={c} languages={languages} put={(x) => put(x, `tr:${id}`)} />}
      {p && (
        <div className="pair">
          <Labeled label="Width (columns)">
            <input type="number" min={1} max={12} value={p.width} onChange={(e) => edit((d) => resizeComponent(d, id, Number(e.target.value)))} data-testid="component-width" />
          </Labeled>
        </div>
      )}
      <div className="start-actions">
        <button className="danger" onClick={() => { edit((d) => deleteComponent(d, id)); select([]); }} data-testid="delete-component">Delete component</button>
      </div>
    </aside>
  );
}
