// Import a data model from SQL DDL or DBML, and show one as SQL or JSON
// Schema. The text is parsed in Rust (`atelier-interop`); nothing here runs it.
import { useEffect, useState } from "react";
import { errorText, ipc, type ImportReport, type ModelFormat } from "../ipc";
import { Field } from "../inspector/controls";
import { Modal } from "../Modal";
import { slug } from "./modelDoc";

export function ImportModelDialog({ onClose, onImported }: { onClose: () => void; onImported: (r: ImportReport) => void }) {
  const [text, setText] = useState("");
  const [format, setFormat] = useState<ModelFormat>("sql");
  const [dialect, setDialect] = useState("");
  const [id, setId] = useState("imported");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState("");
  const [report, setReport] = useState<ImportReport | null>(null);
  const run = async () => {
    setBusy(true);
    setError("");
    try {
      const r = await ipc.importModel(text, format, id, dialect || null, false);
      setReport(r);
      onImported(r);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal title="Import a data model" onClose={onClose} wide testId="import-dialog">
      <h2>Import a data model</h2>
      <p className="muted">Paste <code>CREATE TABLE</code> statements (PostgreSQL, MySQL, SQLite) or DBML, or open a file.</p>
      <div className="pair">
        <Field label="Format">
          <select value={format} onChange={(e) => setFormat(e.target.value as ModelFormat)} data-testid="import-format">
            <option value="sql">SQL DDL</option>
            <option value="dbml">DBML</option>
          </select>
        </Field>
        {format === "sql" && (
          <Field label="Dialect">
            <select value={dialect} onChange={(e) => setDialect(e.target.value)}>
              <option value="">Detect</option>
              <option value="postgres">PostgreSQL</option>
              <option value="mysql">MySQL</option>
              <option value="sqlite">SQLite</option>
            </select>
          </Field>
        )}
        <Field label="New model id">
          <input value={id} onChange={(e) => setId(slug(e.target.value) || e.target.value)} data-testid="import-id" />
        </Field>
      </div>
      <Field label="File">
        <input
          type="file"
          accept=".sql,.dbml,.txt"
          onChange={async (e) => {
            const file = e.target.files?.[0];
            if (!file) return;
            setText(await file.text());
            if (file.name.toLowerCase().endsWith(".dbml")) setFormat("dbml");
            setId(slug(file.name.replace(/\.[^.]+$/, "")) || id);
          }}
        />
      </Field>
      <textarea className="mono" rows={12} value={text} onChange={(e) => setText(e.target.value)} aria-label="SQL or DBML text" placeholder="CREATE TABLE employee (id SERIAL PRIMARY KEY, name TEXT NOT NULL);" data-testid="import-text" />
      {error && <div className="problem error" role="alert" data-testid="import-error">{error}</div>}
      {report && (
        <div className="problem ok" data-testid="import-report">
          Imported {report.entities} entities into <code>models/{report.model}.json</code>
          {report.notes.length > 0 && (
            <ul className="usages">
              {report.notes.map((n, i) => (
                <li key={i}>{n}</li>
              ))}
            </ul>
          )}
        </div>
      )}
      <div className="start-actions">
        <button onClick={onClose}>{report ? "Close" : "Cancel"}</button>
        {!report && (
          <button className="primary" onClick={run} disabled={busy || !text.trim() || !id} data-testid="import-run">
            {busy ? "Importing…" : "Import"}
          </button>
        )}
      </div>
    </Modal>
  );
}

export function ExportModelDialog({ model, onClose }: { model: string; onClose: () => void }) {
  const [format, setFormat] = useState<"sql" | "json-schema">("sql");
  const [dialect, setDialect] = useState("postgres");
  const [text, setText] = useState("");
  const [error, setError] = useState("");
  useEffect(() => {
    const go = format === "sql" ? ipc.modelSql(model, dialect) : ipc.modelSchema(model, null).then((v) => JSON.stringify(v, null, 2));
    go.then(setText, (e) => setError(errorText(e)));
  }, [model, format, dialect]);
  return (
    <Modal title="Export the data model" onClose={onClose} wide testId="export-dialog">
      <h2>Export {model}</h2>
      <div className="pair">
        <Field label="Format">
          <select value={format} onChange={(e) => setFormat(e.target.value as "sql" | "json-schema")} data-testid="export-format">
            <option value="sql">SQL DDL</option>
            <option value="json-schema">JSON Schema 2020-12</option>
          </select>
        </Field>
        {format === "sql" && (
          <Field label="Dialect">
            <select value={dialect} onChange={(e) => setDialect(e.target.value)}>
              <option value="postgres">PostgreSQL</option>
              <option value="mysql">MySQL</option>
              <option value="sqlite">SQLite</option>
            </select>
          </Field>
        )}
      </div>
      {error ? <div className="problem error">{error}</div> : <pre className="export-text" data-testid="export-text">{text}</pre>}
      <div className="start-actions">
        <button onClick={() => void navigator.clipboard?.writeText(text)}>Copy</button>
        <button className="primary" onClick={onClose}>Close</button>
      </div>
    </Modal>
  );
}
