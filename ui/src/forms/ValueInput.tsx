// One value, edited as its field's type asks: a number, a date, a choice
// among an enum's options or among the example records of the entity a
// reference points at. The form preview's tables and the model designer's
// example records use it.
import type { DataModel, JsonValue } from "../ipc";
import { typedNumber } from "../models/fieldTypes";

/** A record a reference may choose: its key's value, and words for the person. */
export type Choice = { value: string; label: string };

/** The example records of each entity that has a key, as choices for a reference to it. */
export function exampleChoices(model: DataModel | null): Map<string, Choice[]> {
  const out = new Map<string, Choice[]>();
  for (const [eid, e] of Object.entries(model?.entities ?? {})) {
    const key = Object.entries(e!.fields).find(([, f]) => f!.key && !f!.list)?.[0];
    if (!key || !e!.examples?.length) continue;
    // Words for a record: a name-like field if there is one, else the first other text field.
    const texts = Object.entries(e!.fields).filter(([id, f]) => id !== key && !f!.list && (f!.type === "string" || f!.type === "text"));
    const words = (texts.find(([id]) => /^(name|title|label|full-name)$/.test(id)) ?? texts[0])?.[0];
    const choices: Choice[] = [];
    // As many as validate checks (MAX_EXAMPLES): a stranger's model cannot make a select of millions.
    for (const x of e!.examples.slice(0, 200)) {
      const v = x[key];
      if (v === undefined || v === null || typeof v === "object") continue;
      const w = words ? x[words] : undefined;
      choices.push({ value: String(v), label: typeof w === "string" && w ? `${w} (${String(v)})` : String(v) });
    }
    if (choices.length) out.set(eid, choices);
  }
  return out;
}


/** One value edited as its type asks: a form preview's table/repeater row, an example record's cell. */
export function ValueInput({ type, choices, records, value, label, readOnly, onChange }: { type: string; choices: string[] | null; records: Choice[] | null; value: JsonValue; label: string; readOnly: boolean; onChange: (v: JsonValue) => void }) {
  const text = value === null || value === undefined ? "" : typeof value === "string" ? value : String(value);
  const common = { "aria-label": label, disabled: readOnly };
  if (records) return <RecordSelect common={common} records={records} value={text} onChange={onChange} />;
  if (choices)
    return (
      <select {...common} value={text} onChange={(e) => onChange(e.target.value)}>
        <option value="">—</option>
        {choices.map((o) => (
          <option key={o} value={o}>{o}</option>
        ))}
      </select>
    );
  switch (type) {
    case "integer":
    case "decimal":
      return <input {...common} inputMode="decimal" value={text} onChange={(e) => onChange(typedNumber(e.target.value))} />;
    case "boolean":
      return <input {...common} type="checkbox" checked={value === true} onChange={(e) => onChange(e.target.checked)} />;
    case "date":
      return <input {...common} type="date" value={text} onChange={(e) => onChange(e.target.value)} />;
    case "email":
      return <input {...common} type="email" value={text} onChange={(e) => onChange(e.target.value)} />;
    default:
      return <input {...common} value={text} onChange={(e) => onChange(e.target.value)} />;
  }
}

/** A reference chosen among the referenced entity's example records (a value not among them stays shown). */
export function RecordSelect({ common, records, value, onChange }: { common: Record<string, unknown>; records: Choice[]; value: string; onChange: (v: JsonValue) => void }) {
  return (
    <select {...common} value={value} onChange={(e) => onChange(e.target.value)}>
      <option value="">—</option>
      {value && !records.some((r) => r.value === value) && <option value={value}>{value}</option>}
      {records.map((r) => (
        <option key={r.value} value={r.value}>{r.label}</option>
      ))}
    </select>
  );
}
