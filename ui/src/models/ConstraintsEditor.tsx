// An entity's rules about a whole record: check rules (an expression over the
// record's fields, run in the sandbox, with the message a person sees) and
// fields that are unique together. The form preview asks the checks once
// every field is right; a submission that fails one does not start a run.
import type { Constraint, Entity } from "../ipc";
import { fieldOrder, freshKey, setConstraint } from "./modelDoc";
import { useModelEditor } from "./useModelEditor";

export function ConstraintsEditor({ eid, entity, order }: { eid: string; entity: Entity; order: string[] | undefined }) {
  const edit = useModelEditor((s) => s.edit);
  const constraints = entity.constraints ?? {};
  const put = (id: string, c: Constraint | null, group?: string) => edit((d) => setConstraint(d, eid, id, c), group);
  const fields = fieldOrder(order, entity);
  return (
    <details className="examples" open={Object.keys(constraints).length > 0} data-testid="constraints">
      <summary>Rules of the record ({Object.keys(constraints).length})</summary>
      <p className="muted small">A check is an expression over the record's fields (<code>amount &lt;= 1000 || description</code>), run in the sandbox; the form preview shows its message when it fails.</p>
      {Object.entries(constraints).map(([id, c]) =>
        c!.kind === "check" ? (
          <div key={id} className="constraint" data-testid={`constraint-${id}`}>
            <code className="muted small">{id}</code>
            <input className="mono" aria-label={`Rule of check ${id}`} value={c!.rule} onChange={(e) => put(id, { ...c!, rule: e.target.value } as Constraint, `check-rule:${id}`)} placeholder="amount > 0" data-testid="check-rule" />
            <input aria-label={`Message of check ${id}`} value={c!.message} onChange={(e) => put(id, { ...c!, message: e.target.value } as Constraint, `check-message:${id}`)} placeholder="What the person sees" data-testid="check-message" />
            <button className="icon" aria-label={`Delete check ${id}`} onClick={() => put(id, null)}>×</button>
          </div>
        ) : (
          <div key={id} className="constraint" data-testid={`constraint-${id}`}>
            <code className="muted small">{id}</code>
            <span className="small">Unique together:</span>
            <span className="unique-fields">
              {fields.map((f) => {
                const on = c!.kind === "unique" && c!.fields.includes(f);
                return (
                  <label key={f} className="check small">
                    <input type="checkbox" checked={on} onChange={() => c!.kind === "unique" && put(id, { kind: "unique", fields: on ? c!.fields.filter((x) => x !== f) : fields.filter((x) => x === f || c!.fields.includes(x)) })} /> {f}
                  </label>
                );
              })}
            </span>
            <button className="icon" aria-label={`Delete unique rule ${id}`} onClick={() => put(id, null)}>×</button>
          </div>
        ),
      )}
      <div className="start-actions">
        <button onClick={() => put(freshKey(constraints, "check"), { kind: "check", rule: "", message: "" })} data-testid="add-check">+ Check rule</button>
        <button onClick={() => put(freshKey(constraints, "unique"), { kind: "unique", fields: [] })}>+ Unique together</button>
      </div>
    </details>
  );
}
