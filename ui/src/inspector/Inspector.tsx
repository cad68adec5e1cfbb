// The selected step's properties, as a form per kind; JavaScript steps get a
// code editor. Every change is one undoable edit.
import type { ApprovalStep, Branch, EndStatus, HttpMethod, Step } from "../ipc";
import { hasScript, setScript, updateStep } from "../doc";
import { useEditor, problemsOf, stepOfProblem } from "../store";
import { KindIcon } from "../canvas/icons";
import { CodeEditor } from "./CodeEditor";

function Field({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <label className="field">
      <span>{label}</span>
      {children}
    </label>
  );
}

function StepSelect({ value, onChange, steps, allowNone }: { value: string; onChange: (v: string) => void; steps: string[]; allowNone?: boolean }) {
  return (
    <select value={value} onChange={(e) => onChange(e.target.value)}>
      {(allowNone || !value) && <option value="">{allowNone ? "— none —" : "— choose —"}</option>}
      {steps.map((s) => (
        <option key={s} value={s}>{s}</option>
      ))}
    </select>
  );
}

export function Inspector() {
  const doc = useEditor((s) => s.doc);
  const selection = useEditor((s) => s.selection);
  const edit = useEditor((s) => s.edit);
  const info = useEditor((s) => s.info);
  const run = useEditor((s) => (selection.length === 1 ? s.runs[selection[0]!] : undefined));
  if (!doc) return null;
  if (selection.length !== 1) {
    return (
      <aside className="inspector">
        <h2>{doc.workflow.name}</h2>
        <p className="muted">{selection.length > 1 ? `${selection.length} steps selected` : "Select a step to edit it."}</p>
        <Field label="Workflow name">
          <input value={doc.workflow.name} onChange={(e) => edit((d) => ({ ...d, workflow: { ...d.workflow, name: e.target.value } }), "wf-name")} />
        </Field>
        <Field label="Start step">
          <StepSelect value={doc.workflow.start} steps={Object.keys(doc.workflow.steps)} onChange={(v) => edit((d) => ({ ...d, workflow: { ...d.workflow, start: v } }))} />
        </Field>
      </aside>
    );
  }
  const id = selection[0]!;
  const step = doc.workflow.steps[id];
  if (!step) return null;
  const others = Object.keys(doc.workflow.steps).filter((s) => s !== id);
  const put = (s: Step, group?: string) => edit((d) => updateStep(d, id, s), group);
  const problems = problemsOf(info, doc.id).filter((p) => stepOfProblem(p) === id);

  return (
    <aside className="inspector" data-testid="inspector">
      <h2>
        <KindIcon kind={step.kind} /> {step.name || id}
      </h2>
      <p className="muted">
        {step.kind.replace("_", " ")} · <code>{id}</code>
      </p>
      {problems.map((p, i) => (
        <div key={i} className={`problem ${p.severity}`}>{p.message}</div>
      ))}
      <Field label="Name">
        <input value={step.name} onChange={(e) => put({ ...step, name: e.target.value }, `name:${id}`)} data-testid="step-name" />
      </Field>
      {step.kind === "api_call" && (
        <>
          <Field label="Source">
            <select value={step.source} onChange={(e) => put({ ...step, source: e.target.value })}>
              {[step.source, ...(info?.sources.map((s) => s.id) ?? [])].filter((v, i, a) => a.indexOf(v) === i).map((s) => (
                <option key={s} value={s}>{s}</option>
              ))}
            </select>
          </Field>
          <Field label="Method">
            <select value={step.method} onChange={(e) => put({ ...step, method: e.target.value as HttpMethod })}>
              {["GET", "POST", "PUT", "PATCH", "DELETE"].map((m) => (
                <option key={m}>{m}</option>
              ))}
            </select>
          </Field>
          <Field label="Path">
            <input value={step.path} onChange={(e) => put({ ...step, path: e.target.value }, `path:${id}`)} />
          </Field>
          <Field label="Save response as">
            <input aria-label="Save the answer as" value={step.save_as ?? ""} placeholder={id} onChange={(e) => put({ ...step, save_as: e.target.value || null }, `save:${id}`)} />
          </Field>
        </>
      )}
      {step.kind === "condition" && (
        <>
          {step.branches.map((b: Branch, i: number) => (
            <div className="branch" key={i}>
              <Field label={`Branch ${i + 1}: when`}>
                <input value={b.when} onChange={(e) => put({ ...step, branches: step.branches.map((x, j) => (j === i ? { ...x, when: e.target.value } : x)) }, `when:${id}:${i}`)} />
              </Field>
              <Field label="then go to">
                <StepSelect value={b.next ?? ""} steps={others} onChange={(v) => put({ ...step, branches: step.branches.map((x, j) => (j === i ? { ...x, next: v || null } : x)) })} />
              </Field>
            </div>
          ))}
          <Field label="Otherwise">
            <StepSelect allowNone value={step.otherwise ?? ""} steps={others} onChange={(v) => put({ ...step, otherwise: v || null })} />
          </Field>
        </>
      )}
      {step.kind === "approval" && (
        <>
          <Field label="Question">
            <input value={step.prompt ?? ""} onChange={(e) => put({ ...step, prompt: e.target.value } as Step, `prompt:${id}`)} />
          </Field>
          <Field label="Approvers (comma separated)">
            <input
              value={(step.approvers ?? []).join(", ")}
              onChange={(e) => put({ ...step, approvers: e.target.value.split(",").map((s) => s.trim()).filter(Boolean) } as Step, `approvers:${id}`)}
            />
          </Field>
          <Field label="If approved, go to">
            <StepSelect value={(step as ApprovalStep).next_if_approved ?? ""} steps={others} onChange={(v) => put({ ...step, next_if_approved: v || null })} />
          </Field>
          <Field label="If rejected, go to">
            <StepSelect value={(step as ApprovalStep).next_if_rejected ?? ""} steps={others} onChange={(v) => put({ ...step, next_if_rejected: v || null })} />
          </Field>
        </>
      )}
      {step.kind === "end" && (
        <Field label="Status">
          <select value={step.status ?? "completed"} onChange={(e) => put({ ...step, status: e.target.value as EndStatus })}>
            <option>completed</option>
            <option>rejected</option>
            <option>failed</option>
          </select>
        </Field>
      )}
      {(step.kind === "api_call" || hasScript(step.kind)) && (
        <Field label="Next step">
          <StepSelect allowNone value={("next" in step && step.next) || ""} steps={others} onChange={(v) => put({ ...step, next: v || null } as Step)} />
        </Field>
      )}
      {hasScript(step.kind) && (
        <div className="field">
          <span>Code · steps/{id}.js</span>
          <CodeEditor key={`${doc.id}/${id}`} label={`steps/${id}.js`} value={doc.scripts[id] ?? ""} onChange={(code) => edit((d) => setScript(d, id, code), `code:${id}`)} />
        </div>
      )}
      {run && <StepRunDetails events={run.events} />}
    </aside>
  );
}

function StepRunDetails({ events }: { events: import("../ipc").TraceEvent[] }) {
  return (
    <section className="run-details" data-testid="run-details">
      <h3>Last preview</h3>
      {events.map((e, i) =>
        e.event === "step_finished" ? (
          <div key={i} className={`attempt ${e.error ? "error" : "ok"}`}>
            <div className="attempt-head">
              attempt {e.attempt} · {e.wall_us !== undefined && e.wall_us !== null ? `${(e.wall_us / 1000).toFixed(1)} ms` : ""}
              {e.next ? ` → ${e.next}` : ""}
            </div>
            {e.error && <div className="problem error" data-testid="step-error">{e.error.message}</div>}
            {e.logs && e.logs.length > 0 && <pre className="logs">{e.logs.map((l) => `${l.level}: ${l.message}`).join("\n")}</pre>}
            {e.output !== undefined && <details open><summary>Output</summary><pre>{JSON.stringify(e.output, null, 2)}</pre></details>}
          </div>
        ) : e.event === "step_started" && e.attempt === 1 ? (
          <details key={i}><summary>Input</summary><pre>{JSON.stringify(e.input, null, 2)}</pre></details>
        ) : null,
      )}
    </section>
  );
}
