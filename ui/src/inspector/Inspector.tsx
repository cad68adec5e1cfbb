// The selected step's properties: what every step has, then its kind's own
// fields (from its spec); JavaScript steps get a code editor. Every change is one undoable edit.
import type { Step } from "../ipc";
import { setScript, updateStep } from "../doc";
import { specOf } from "../steps";
import { Field, StepSelect } from "./controls";
import { useEditor, problemsOf, stepOfProblem } from "../store";
import { KindIcon } from "../canvas/icons";
import { CodeEditor } from "./CodeEditor";
import { ElementActions } from "../find/ElementActions";
import { Governance } from "./Governance";

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
        <ElementActions address={`workflows/${doc.id}`} label={`workflow ${doc.id}`} />
        <p className="muted">{selection.length > 1 ? `${selection.length} steps selected` : "Select a step to edit it."}</p>
        <Field label="Workflow name">
          <input value={doc.workflow.name} onChange={(e) => edit((d) => ({ ...d, workflow: { ...d.workflow, name: e.target.value } }), "wf-name")} />
        </Field>
        <Field label="Start step">
          <StepSelect value={doc.workflow.start} steps={Object.keys(doc.workflow.steps)} onChange={(v) => edit((d) => ({ ...d, workflow: { ...d.workflow, start: v } }))} />
        </Field>
        <Governance appliesTo="workflows" file={`workflows/${doc.id}/workflow.json`} />
      </aside>
    );
  }
  const id = selection[0]!;
  const step = doc.workflow.steps[id];
  if (!step) return null;
  const others = Object.keys(doc.workflow.steps).filter((s) => s !== id);
  const put = (s: Step, group?: string) => edit((d) => updateStep(d, id, s), group);
  const problems = problemsOf(info, doc.id).filter((p) => stepOfProblem(p) === id);
  const spec = specOf(step.kind);
  const Fields = spec.Fields;
  const sources = info?.sources.map((s) => s.id) ?? [];

  return (
    <aside className="inspector" data-testid="inspector">
      <h2>
        <KindIcon kind={step.kind} /> {step.name || id}
      </h2>
      <p className="muted">
        {spec.label} · <code>{id}</code>
      </p>
      <ElementActions address={`workflows/${doc.id}/steps/${id}`} label={`step ${id}`} />
      {problems.map((p, i) => (
        <div key={i} className={`problem ${p.severity}`}>{p.message}</div>
      ))}
      <Field label="Name">
        <input value={step.name} onChange={(e) => put({ ...step, name: e.target.value }, `name:${id}`)} data-testid="step-name" />
      </Field>
      <Fields id={id} step={step} put={put} others={others} sources={sources} />
      {spec.script && (
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
