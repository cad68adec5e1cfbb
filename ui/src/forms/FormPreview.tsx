// The form as a person fills it in. Every change asks Rust for the form's
// state (what shows, what is read-only, each value's error, in the chosen
// language; see useFormState), so the rules run in one place and a
// stranger's pattern never runs in the webview. Submitting sends the record
// to the workflow the form starts.
import { memo, useCallback, useMemo, useState } from "react";
import { type Component, type DataModel, type FormDoc, type JsonValue } from "../ipc";
import { ordered } from "./formDoc";
import { languagesOf } from "./ComponentInspector";
import { useFormState } from "./useFormState";
import { typedNumber } from "../models/fieldTypes";
import { exampleChoices, RecordSelect, ValueInput, type Choice } from "./ValueInput";

type Data = Record<string, JsonValue>;

function Input({ c, value, readOnly, choices, records, itemType, onChange, id }: { c: Component; value: JsonValue | undefined; readOnly: boolean; choices: string[] | null; records: Choice[] | null; itemType: string; onChange: (v: JsonValue) => void; id: string }) {
  const text = value === undefined || value === null ? "" : typeof value === "string" ? value : String(value);
  const common = { id: `fp-${id}`, disabled: readOnly, "data-testid": `fill-${id}` };
  switch (c.kind) {
    case "text_area":
      return <textarea {...common} rows={3} value={text} placeholder={c.placeholder} onChange={(e) => onChange(e.target.value)} />;
    case "number_input":
      return <input {...common} inputMode="decimal" value={text} placeholder={c.placeholder} onChange={(e) => onChange(typedNumber(e.target.value))} />;
    case "date_picker":
      return <input {...common} type="date" value={text} onChange={(e) => onChange(e.target.value)} />;
    case "datetime_picker":
      return <input {...common} type="datetime-local" value={text.replace(/Z$/, "").slice(0, 16)} onChange={(e) => onChange(e.target.value ? `${e.target.value}:00Z` : "")} />;
    case "email_input":
      return <input {...common} type="email" value={text} placeholder={c.placeholder} onChange={(e) => onChange(e.target.value)} />;
    case "select":
      if (records) return <RecordSelect common={common} records={records} value={text} onChange={onChange} />;
      return choices ? (
        <select {...common} value={text} onChange={(e) => onChange(e.target.value)}>
          <option value="">—</option>
          {choices.map((o) => (
            <option key={o} value={o}>{o}</option>
          ))}
        </select>
      ) : (
        <input {...common} value={text} placeholder={c.placeholder || "the key of a record (the model has no examples to offer)"} onChange={(e) => onChange(e.target.value)} />
      );
    case "radio":
      return (
        <div className="radios" role="radiogroup" aria-labelledby={`fp-${id}-label`}>
          {(choices ?? ["true", "false"]).map((o) => (
            <label key={o} className="check">
              <input type="radio" name={`fp-${id}`} disabled={readOnly} checked={text === o} onChange={() => onChange(choices ? o : o === "true")} /> {choices ? o : o === "true" ? "Yes" : "No"}
            </label>
          ))}
        </div>
      );
    case "checkbox":
      if (choices) {
        const list = Array.isArray(value) ? (value as string[]) : [];
        return (
          <div className="radios">
            {choices.map((o) => (
              <label key={o} className="check">
                <input type="checkbox" disabled={readOnly} checked={list.includes(o)} onChange={(e) => onChange(e.target.checked ? [...list, o] : list.filter((x) => x !== o))} /> {o}
              </label>
            ))}
          </div>
        );
      }
      return <input {...common} type="checkbox" checked={value === true} onChange={(e) => onChange(e.target.checked)} />;
    case "file_upload":
      return (
        <div className="path-row">
          <input {...common} value={text} placeholder="a file name or address" onChange={(e) => onChange(e.target.value)} />
          <input type="file" aria-label="Choose a file" disabled={readOnly} onChange={(e) => onChange(e.target.files?.[0]?.name ?? "")} />
        </div>
      );
    case "table": {
      const rows = Array.isArray(value) ? value : [];
      return (
        <div className="repeater" data-testid={`fill-${id}`}>
          {rows.map((r, i) => (
            <div className="path-row" key={i}>
              <ValueInput type={itemType} choices={choices} records={records} value={r} label={`Row ${i + 1}`} readOnly={readOnly} onChange={(v) => onChange(rows.map((x, j) => (j === i ? v : x)))} />
              <button type="button" className="icon" aria-label={`Remove row ${i + 1}`} disabled={readOnly} onClick={() => onChange(rows.filter((_, j) => j !== i))}>×</button>
            </div>
          ))}
          <button type="button" className="link" disabled={readOnly} onClick={() => onChange([...rows, itemType === "boolean" ? false : ""])}>+ row</button>
        </div>
      );
    }
    default:
      return <input {...common} value={text} placeholder={c.placeholder} onChange={(e) => onChange(e.target.value)} />;
  }
}

type FillProps = {
  id: string;
  c: Component;
  row: number;
  column: number;
  width: number;
  label: string;
  required: boolean;
  choices: string[] | null;
  records: Choice[] | null;
  itemType: string;
  value: JsonValue | undefined;
  readOnly: boolean;
  error: string | null;
  help: string;
  onChange: (field: string, v: JsonValue) => void;
};

/** One input as the person sees it. Its props are plain values, so a keystroke
 *  redraws the input it changed (and those whose state changed), not all 200. */
const Fill = memo(function Fill({ id, c, row, column, width, label, required, choices, records, itemType, value, readOnly, error, help, onChange }: FillProps) {
  return (
    <div className={`fill${error ? " invalid" : ""}`} style={{ gridRow: row + 1, gridColumn: `${column + 1} / span ${width}` }}>
      <label htmlFor={`fp-${id}`} id={`fp-${id}-label`}>
        {label}
        {required && <span className="req"> *</span>}
      </label>
      <Input c={c} id={id} value={value} readOnly={readOnly} choices={choices} records={records} itemType={itemType} onChange={(v) => c.field && onChange(c.field, v)} />
      {error ? <div className="fill-error" role="alert" data-testid={`error-${id}`}>{error}</div> : help ? <div className="fill-help">{help}</div> : null}
    </div>
  );
});

export function FormPreview({ doc, model, onSubmit }: { doc: FormDoc; model: DataModel | null; onSubmit: (record: JsonValue) => void }) {
  const [data, setData] = useState<Data>({});
  const [language, setLanguage] = useState<string>("");
  const [touched, setTouched] = useState<Set<string>>(new Set());
  const [tried, setTried] = useState(false);
  const { state, error, typed } = useFormState(doc, data, language || null);
  const languages = languagesOf(doc);
  const places = useMemo(() => ordered(doc), [doc]);
  const examples = useMemo(() => exampleChoices(model), [model]);
  const entity = model?.entities[doc.form.entity];
  const change = useCallback((field: string, v: JsonValue) => {
    typed();
    setTouched((t) => (t.has(field) ? t : new Set(t).add(field)));
    setData((d) => ({ ...d, [field]: v }));
  }, [typed]);
  return (
    <div className="form-preview" data-testid="form-preview">
      <div className="form-preview-bar">
        <strong>Preview</strong>
        <span className="muted small">as a person fills it in</span>
        {languages.length > 0 && (
          <select aria-label="Language" value={language} onChange={(e) => setLanguage(e.target.value)} data-testid="preview-language">
            <option value="">{doc.form.language || "default"}</option>
            {languages.map((l) => (
              <option key={l} value={l}>{l}</option>
            ))}
          </select>
        )}
        <button className="link" onClick={() => { setData({}); setTouched(new Set()); setTried(false); }}>Clear</button>
      </div>
      {error && <div className="problem error">{error}</div>}
      <h2 className="form-title" data-testid="form-title">{state?.title ?? doc.form.name}</h2>
      <form
        className="form-grid filled"
        onSubmit={(e) => {
          e.preventDefault();
          setTried(true);
          if (state?.valid) onSubmit(state.record);
        }}
      >
        {places.map(([id, p]) => {
          const c = doc.form.components[id]!;
          const s = state?.components[id];
          if (s && !s.visible) return null;
          const style = { gridRow: p.row + 1, gridColumn: `${p.column + 1} / span ${p.width}` };
          const label = s?.label ?? c.label;
          if (c.kind === "heading") return <h3 key={id} style={style}>{label}</h3>;
          if (c.kind === "section") return <h4 key={id} className="section-title" style={style}>{label}</h4>;
          if (c.kind === "text") return <p key={id} className="help-text" style={style}>{label}</p>;
          if (c.kind === "divider") return <hr key={id} style={style} />;
          const field = c.field ? entity?.fields[c.field] : undefined;
          const en = field?.type === "enum" && field.enum ? (model?.enums?.[field.enum]?.values ?? null) : null;
          return (
            <Fill
              key={id}
              id={id}
              c={c}
              row={p.row}
              column={p.column}
              width={p.width}
              label={label}
              required={!!field?.required}
              choices={en ? (c.options ?? en) : null}
              records={field?.type === "reference" && field.entity ? (examples.get(field.entity) ?? null) : null}
              itemType={field?.type ?? "string"}
              value={c.field ? data[c.field] : undefined}
              readOnly={s?.read_only ?? !!c.read_only}
              error={s?.error && c.field && (touched.has(c.field) || tried) ? s.error : null}
              help={s?.help ?? c.help ?? ""}
              onChange={change}
            />
          );
        })}
        <div className="form-actions" style={{ gridColumn: "1 / span 12" }}>
          {tried && state && !state.valid && <span className="fill-error" data-testid="form-invalid">{state.errors[0] ?? "Some values need attention."}</span>}
          <button type="submit" className="primary" data-testid="form-submit">{state?.submit_label ?? (doc.form.submit_label || "Submit")}</button>
        </div>
      </form>
    </div>
  );
}
