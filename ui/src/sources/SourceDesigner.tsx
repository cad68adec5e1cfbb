// A source (a connector to a web service) as a form: where requests go, how
// they authenticate (by the *name* of a secret, never its value), the headers
// every request carries, the operations its OpenAPI description listed, and
// the governance rules for sources with whether this one meets them.
import { useEffect, useState } from "react";
import { ipc, type AuditRow, type HttpMethod } from "../ipc";
import { AuditList } from "../panels/RunHistory";
import { Field as Labeled } from "../inspector/controls";
import { Governance } from "../inspector/Governance";
import { ElementActions } from "../find/ElementActions";
import { problemsAt, useEditor } from "../store";
import { AUTH_KINDS, HTTP_METHODS, headerRows, secretName, withAuthKind, withHeaders, withOperation, withoutOperation, withSource, type AuthKind } from "./sourceDoc";
import { useSourceEditor } from "./useSourceEditor";

function Headers() {
  const doc = useSourceEditor((s) => s.doc)!;
  const edit = useSourceEditor((s) => s.edit);
  const [draft, setDraft] = useState<[string, string]>(["", ""]);
  const rows = headerRows(doc.source);
  const put = (next: [string, string][], group?: string) => edit((d) => withHeaders(d, next), group);
  return (
    <table className="field-grid headers-grid" data-testid="source-headers">
      <thead>
        <tr><th>Header</th><th>Value</th><th /></tr>
      </thead>
      <tbody>
        {rows.map(([k, v], i) => (
          <tr key={k}>
            <td>
              <input
                aria-label={`Name of header ${k}`}
                defaultValue={k}
                onBlur={(e) => e.target.value.trim() !== k && put(rows.map((r, j) => (j === i ? [e.target.value, r[1]] : r)))}
              />
            </td>
            <td><input aria-label={`Value of header ${k}`} value={v} onChange={(e) => put(rows.map((r, j) => (j === i ? [r[0], e.target.value] : r)), `header:${k}`)} /></td>
            <td><button className="icon" aria-label={`Remove header ${k}`} onClick={() => put(rows.filter((_, j) => j !== i))}>×</button></td>
          </tr>
        ))}
        <tr>
          <td><input aria-label="New header's name" placeholder="Accept" value={draft[0]} onChange={(e) => setDraft([e.target.value, draft[1]])} data-testid="header-new-name" /></td>
          <td><input aria-label="New header's value" placeholder="application/json" value={draft[1]} onChange={(e) => setDraft([draft[0], e.target.value])} data-testid="header-new-value" /></td>
          <td>
            <button
              disabled={!draft[0].trim()}
              onClick={() => {
                put([...rows, draft]);
                setDraft(["", ""]);
              }}
              data-testid="header-add"
            >
              Add
            </button>
          </td>
        </tr>
      </tbody>
    </table>
  );
}

/** An operation added by hand, for a service without an OpenAPI description. */
function NewOperation() {
  const edit = useSourceEditor((s) => s.edit);
  const [method, setMethod] = useState<HttpMethod>("GET");
  const [path, setPath] = useState("");
  const [summary, setSummary] = useState("");
  return (
    <div className="new-operation">
      <select aria-label="Method of the new operation" value={method} onChange={(e) => setMethod(e.target.value as HttpMethod)} data-testid="operation-new-method">
        {HTTP_METHODS.map((m) => (
          <option key={m} value={m}>{m}</option>
        ))}
      </select>
      <input className="mono" aria-label="Path of the new operation" placeholder="/rates/{currency}" value={path} onChange={(e) => setPath(e.target.value)} data-testid="operation-new-path" />
      <input aria-label="What the new operation does" placeholder="What it does" value={summary} onChange={(e) => setSummary(e.target.value)} />
      <button
        disabled={!path.trim()}
        onClick={() => {
          edit((d) => withOperation(d, method, path, summary)[0]);
          setPath("");
          setSummary("");
        }}
        data-testid="operation-add"
      >
        Add
      </button>
    </div>
  );
}

export function SourceDesigner() {
  const doc = useSourceEditor((s) => s.doc);
  const edit = useSourceEditor((s) => s.edit);
  const info = useEditor((s) => s.info);
  // Its audit entries, read again after every change to the project (a save among them).
  const [audit, setAudit] = useState<AuditRow[]>([]);
  const id = doc?.id;
  useEffect(() => {
    if (id) ipc.auditLog(`sources/${id}`, 20).then(setAudit, () => setAudit([]));
  }, [id, info]);
  if (!doc) return <main className="center source-designer" />;
  const s = doc.source;
  const auth = s.auth ?? { kind: "none" as const };
  const file = `sources/${doc.id}.json`;
  const operations = Object.entries(s.operations ?? {});
  const set = (patch: Partial<typeof s>, group: string) => edit((d) => withSource(d, { ...d.source, ...patch }), group);
  return (
    <main className="center source-designer" data-testid="source-designer">
      <div className="source-page">
        <header>
          <h2>{s.name || doc.id}</h2>
          <p className="muted">Source · <code>{doc.id}</code> · a web service that <code>api_call</code> steps call</p>
          <ElementActions address={`sources/${doc.id}`} label={`source ${doc.id}`} />
        </header>
        {problemsAt(info, file, "").map((p, i) => (
          <div key={i} className={`problem ${p.severity}`} data-testid="source-problem">{p.element ? `${p.element.slice(1)}: ` : ""}{p.message}</div>
        ))}
        <section>
          <h3>Service</h3>
          <Labeled label="Name"><input value={s.name} onChange={(e) => set({ name: e.target.value }, "name")} data-testid="source-name" /></Labeled>
          <Labeled label="Description"><input value={s.description ?? ""} onChange={(e) => set({ description: e.target.value }, "description")} /></Labeled>
          <Labeled label="Base URL (requests go below it)">
            <input className="mono" value={s.base_url} onChange={(e) => set({ base_url: e.target.value }, "base_url")} placeholder="https://api.example.com/v1" data-testid="source-base-url" />
          </Labeled>
          <Labeled label="Timeout (ms; empty: the engine's default)">
            <input inputMode="numeric" value={s.timeout_ms ?? ""} onChange={(e) => set({ timeout_ms: e.target.value.trim() === "" || Number.isNaN(Number(e.target.value)) ? null : Number(e.target.value) }, "timeout")} />
          </Labeled>
        </section>
        <section>
          <h3>Authentication</h3>
          <Labeled label="Scheme">
            <select value={auth.kind} onChange={(e) => edit((d) => withAuthKind(d, e.target.value as AuthKind))} data-testid="source-auth">
              {AUTH_KINDS.map((k) => (
                <option key={k.kind} value={k.kind}>{k.label}</option>
              ))}
            </select>
          </Labeled>
          {auth.kind === "api_key" && (
            <Labeled label="Header"><input value={auth.header} onChange={(e) => set({ auth: { ...auth, header: e.target.value } }, "auth-header")} /></Labeled>
          )}
          {auth.kind === "basic" && (
            <Labeled label="User name"><input value={auth.username} onChange={(e) => set({ auth: { ...auth, username: e.target.value } }, "auth-user")} /></Labeled>
          )}
          {auth.kind !== "none" && (
            <>
              <Labeled label="Secret (its name; the value never enters the project)">
                <input className="mono" value={auth.secret} onChange={(e) => set({ auth: { ...auth, secret: secretName(e.target.value) } }, "auth-secret")} data-testid="source-secret" />
              </Labeled>
              <p className="muted small">Saving declares it in <code>secrets.required.json</code>. Each person grants its value on their own machine (Permissions), and a preview asks before sending it.</p>
            </>
          )}
        </section>
        <section>
          <h3>Headers sent with every request</h3>
          <Headers />
        </section>
        <section>
          <h3>Operations ({operations.length})</h3>
          {operations.length === 0 ? (
            <p className="muted small">None listed. Import its OpenAPI description (Sources in the explorer), or add them below: the <code>api_call</code> inspector then offers them, and validation checks calls against them.</p>
          ) : (
            <table className="field-grid operations-grid" data-testid="source-operations">
              <thead>
                <tr><th>Method</th><th>Path</th><th>What it does</th><th>Parameters</th><th /></tr>
              </thead>
              <tbody>
                {operations.map(([id, op]) => (
                  <tr key={id} title={id}>
                    <td><span className={`method ${op!.method.toLowerCase()}`}>{op!.method}</span></td>
                    <td className="mono">{op!.path}</td>
                    <td>{op!.summary || <span className="muted">{id}</span>}</td>
                    <td className="small">{(op!.parameters ?? []).map((p) => `${p.name}${p.required ? "*" : ""} (${p.in})`).join(", ") || "—"}</td>
                    <td><button className="icon" aria-label={`Remove operation ${id}`} onClick={() => edit((d) => withoutOperation(d, id))}>×</button></td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
        <NewOperation />
        <Governance appliesTo="sources" file={file} />
        <AuditList rows={audit} />
      </div>
    </main>
  );
}
