// Bring in what was made elsewhere: a workflow exported from n8n or Node-RED,
// a BPMN file from Camunda Modeler, or a service's OpenAPI description. The
// text is read in Rust (`atelier-interop`); the report says what each flow
// became, what is left to finish, and what was left out.
import { useState } from "react";
import { errorText, ipc, type SourceImportReport, type WorkflowImportReport } from "../ipc";
import { Field } from "../inspector/controls";
import { Modal } from "../Modal";
import { slug } from "../models/modelDoc";

type Format = "n8n" | "node-red" | "bpmn" | "openapi";

/** The format a file's name and first characters suggest. */
export function guessFormat(name: string, text: string): Format {
  const head = text.trimStart().slice(0, 400);
  if (/\.bpmn$/i.test(name) || head.startsWith("<")) return "bpmn";
  if (/openapi["']?\s*:/.test(head)) return "openapi";
  if (head.startsWith("[")) return "node-red";
  return "n8n";
}

export function ImportDialog({ initial, onClose, onImported }: { initial: "workflow" | "source"; onClose: () => void; onImported: (kind: "workflow" | "source", id: string) => void }) {
  const [format, setFormat] = useState<Format>(initial === "source" ? "openapi" : "n8n");
  const [text, setText] = useState("");
  const [id, setId] = useState(initial === "source" ? "api" : "imported");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState("");
  const [flows, setFlows] = useState<WorkflowImportReport | null>(null);
  const [source, setSource] = useState<SourceImportReport | null>(null);
  const done = flows || source;
  const run = async () => {
    setBusy(true);
    setError("");
    try {
      if (format === "openapi") {
        const r = await ipc.importOpenapi(text, id, false);
        setSource(r);
        onImported("source", r.source);
      } else {
        const r = await ipc.importWorkflow(text, format, id, false);
        setFlows(r);
        if (r.workflows[0]) onImported("workflow", r.workflows[0].workflow);
      }
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  const notes = flows?.notes ?? source?.notes ?? [];
  return (
    <Modal title="Import" onClose={onClose} wide testId="import-design-dialog">
      <h2>Import {format === "openapi" ? "a source" : "a workflow"}</h2>
      <p className="muted">An n8n or Node-RED export, a BPMN file from Camunda Modeler, or an OpenAPI 3 description (JSON or YAML): open the file or paste it.</p>
      <div className="pair">
        <Field label="Format">
          <select value={format} onChange={(e) => setFormat(e.target.value as Format)} data-testid="import-design-format">
            <option value="n8n">n8n workflow (JSON)</option>
            <option value="node-red">Node-RED flow (JSON)</option>
            <option value="bpmn">BPMN 2.0 (Camunda Modeler)</option>
            <option value="openapi">OpenAPI description → a source</option>
          </select>
        </Field>
        <Field label={format === "openapi" ? "New source id" : "New workflow id"}>
          <input value={id} onChange={(e) => setId(slug(e.target.value) || e.target.value)} data-testid="import-design-id" />
        </Field>
      </div>
      <Field label="File">
        <input
          type="file"
          accept=".json,.bpmn,.xml,.yaml,.yml"
          onChange={async (e) => {
            const file = e.target.files?.[0];
            if (!file) return;
            const t = await file.text();
            setText(t);
            setFormat(guessFormat(file.name, t));
            setId(slug(file.name.replace(/\.[^.]+$/, "")) || id);
          }}
        />
      </Field>
      <textarea className="mono" rows={10} value={text} onChange={(e) => setText(e.target.value)} aria-label="The exported text" data-testid="import-design-text" />
      {error && <div className="problem error" role="alert" data-testid="import-design-error">{error}</div>}
      {flows && (
        <div className="problem ok" data-testid="import-design-report">
          {flows.workflows.map((f) => (
            <div key={f.workflow}>
              Imported {f.steps} steps into <code>workflows/{f.workflow}/</code>
              {f.unfinished.length > 0 && ` · ${f.unfinished.length} to finish`}
            </div>
          ))}
          {flows.sources.length > 0 && <div>Sources: {flows.sources.map((s) => `sources/${s}.json`).join(", ")}</div>}
        </div>
      )}
      {source && (
        <div className="problem ok" data-testid="import-design-report">
          Imported {source.operations} operations into <code>sources/{source.source}.json</code> ({source.base_url})
          {source.secret && <> · its auth names the secret <code>{source.secret}</code>: map it in Permissions</>}
        </div>
      )}
      {notes.length > 0 && (
        <details className="handoff-notes" open>
          <summary>{notes.length} note(s): what was changed or left out</summary>
          <ul>
            {notes.map((n, i) => (
              <li key={i}>{n}</li>
            ))}
          </ul>
        </details>
      )}
      <div className="start-actions">
        <button onClick={onClose}>{done ? "Close" : "Cancel"}</button>
        {!done && (
          <button className="primary" onClick={() => void run()} disabled={busy || !text.trim() || !id} data-testid="import-design-run">
            {busy ? "Importing…" : "Import"}
          </button>
        )}
      </div>
    </Modal>
  );
}
