// An entity's example records as a small table: one column per single-valued
// field, in the drawn order. The form preview offers them where a reference
// to the entity is chosen; `validate` checks each against the entity.
import { useMemo } from "react";
import type { Entity, Field, JsonValue } from "../ipc";
import { exampleChoices, ValueInput, type Choice } from "../forms/ValueInput";
import { FIELD_TYPES, typedNumber } from "./fieldTypes";
import { fieldOrder, setExamples } from "./modelDoc";
import { useModelEditor } from "./useModelEditor";

type Example = Record<string, JsonValue>;

/** A cell's text as the field's type reads it: a number once it is one, text until then (validate says what is wrong). */
export function typedCell(f: Field, text: string): JsonValue | undefined {
  if (text === "") return undefined;
  return FIELD_TYPES[f.type].numeric ? typedNumber(text) : text;
}

/** A cell edited as its field's type asks (dates, enum options, referenced records); emptied, the value goes. */
function Cell({ field, value, label, choices, records, onChange }: { field: Field; value: JsonValue | undefined; label: string; choices: string[] | null; records: Choice[] | null; onChange: (v: JsonValue | undefined) => void }) {
  const gone = (v: JsonValue) => v === "" || v === null || (field.type === "boolean" && v === false);
  return <ValueInput type={field.type} choices={choices} records={records} value={value ?? null} label={label} readOnly={false} onChange={(v) => onChange(gone(v) ? undefined : typeof v === "string" ? typedCell(field, v) : v)} />;
}

export function ExamplesEditor({ eid, entity, order }: { eid: string; entity: Entity; order: string[] | undefined }) {
  const edit = useModelEditor((s) => s.edit);
  const model = useModelEditor((s) => s.doc?.model ?? null);
  const records = useMemo(() => exampleChoices(model), [model]);
  const optionsOf = (f: Field) => (f.type === "enum" && f.enum ? (model?.enums?.[f.enum]?.values ?? null) : null);
  const recordsOf = (f: Field) => (f.type === "reference" && f.entity ? (records.get(f.entity) ?? null) : null);
  const examples = (entity.examples ?? []) as Example[];
  const columns = fieldOrder(order, entity).filter((f) => !entity.fields[f]!.list);
  const hasKey = columns.some((f) => entity.fields[f]!.key);
  const put = (next: Example[], coalesce?: string) => edit((d) => setExamples(d, eid, next), coalesce);
  const setCell = (row: number, field: string, v: JsonValue | undefined) => {
    const next = examples.map((x, i) => {
      if (i !== row) return x;
      const copy = { ...x };
      if (v === undefined) delete copy[field];
      else copy[field] = v;
      return copy;
    });
    put(next, `example:${eid}:${row}:${field}`);
  };
  return (
    <details className="examples" open={examples.length > 0} data-testid="examples">
      <summary>Example records ({examples.length})</summary>
      <p className="muted small">
        {hasKey
          ? "The form preview offers these where a reference to this entity is chosen; validate checks each against the fields."
          : "Mark a field as the key (▸ Key) for the form preview to offer these where a reference to this entity is chosen."}
      </p>
      {examples.length > 0 && (
        <div className="examples-scroll">
          <table className="field-grid examples-grid">
            <thead>
              <tr>
                <th />
                {columns.map((f) => (
                  <th key={f} className={entity.fields[f]!.key ? "key" : ""}>{f}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {examples.map((x, i) => (
                <tr key={i} data-testid={`example-${i}`}>
                  {/* First, so that it stays in view however wide the record is. */}
                  <td>
                    <button className="icon" aria-label={`Delete example ${i + 1}`} onClick={() => put(examples.filter((_, j) => j !== i))}>×</button>
                  </td>
                  {columns.map((f) => (
                    <td key={f}>
                      <Cell
                        field={entity.fields[f]!}
                        value={x[f]}
                        label={`Example ${i + 1}: ${f}`}
                        choices={optionsOf(entity.fields[f]!)}
                        records={recordsOf(entity.fields[f]!)}
                        onChange={(v) => setCell(i, f, v)}
                      />
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <button onClick={() => put([...examples, {}])} data-testid="add-example">+ Example</button>
    </details>
  );
}
