// The open workflow's past previews (kept in the project's index on this
// machine) and its audit entries. A past run opens again on the canvas: its
// trace is replayed into the editor as if it had just run.
import { useEffect, useState } from "react";
import { errorText, ipc, type AuditRow, type RunEntry } from "../ipc";
import { useEditor } from "../store";

const when = (ms: number) => new Date(ms).toLocaleString();

export function RunHistory({ onShown }: { onShown: () => void }) {
  const workflow = useEditor((s) => s.doc?.id);
  const runsKept = useEditor((s) => s.runsKept);
  const [runs, setRuns] = useState<RunEntry[] | null>(null);
  const [audit, setAudit] = useState<AuditRow[]>([]);
  const [error, setError] = useState("");
  // Read again when the workflow changes or a run has just been kept.
  useEffect(() => {
    if (!workflow) return;
    Promise.all([ipc.runs(workflow, 50), ipc.auditLog(`workflows/${workflow}`, 30)]).then(
      ([r, a]) => {
        setRuns(r);
        setAudit(a);
        setError("");
      },
      (e) => setError(errorText(e)),
    );
  }, [workflow, runsKept]);
  if (!workflow) return <p className="muted">Open a workflow to see its past runs.</p>;
  const reopen = async (id: number) => {
    try {
      const past = await ipc.pastRun(id);
      useEditor.getState().replay(past.trace);
      onShown();
    } catch (e) {
      setError(errorText(e));
    }
  };
  return (
    <div className="run-history" data-testid="run-history">
      {error && <div className="problem error">{error}</div>}
      {runs && runs.length === 0 && <p className="muted">No runs kept yet. Every preview is kept here, on this machine (not in git).</p>}
      {runs && runs.length > 0 && (
        <table className="runs-table">
          <thead>
            <tr><th>When</th><th>Outcome</th><th>Took</th><th>Who</th><th /></tr>
          </thead>
          <tbody>
            {runs.map((r) => (
              <tr key={r.id} data-testid={`past-run-${r.id}`}>
                <td>{when(r.started_at)}</td>
                <td><span className={`badge ${r.status === "completed" ? "ok" : r.status === "failed" ? "error" : "warning"}`}>{r.status}</span></td>
                <td>{r.duration_ms} ms</td>
                <td className="muted small">{r.who}</td>
                <td><button className="link" onClick={() => void reopen(r.id)} data-testid="reopen-run">Show on canvas</button></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <AuditList rows={audit} />
    </div>
  );
}

/** Audit entries of one element (saves, commits, runs...), newest first; nothing when there are none. */
export function AuditList({ rows }: { rows: AuditRow[] }) {
  if (rows.length === 0) return null;
  return (
    <>
      <h3>Audit</h3>
      <ul className="refs-list small" data-testid="audit-entries">
        {rows.map((a, i) => (
          <li key={i}><span className="muted">{when(a.at)}</span> · <strong>{a.action}</strong> {a.detail && `· ${a.detail}`} <span className="muted">· {a.who} ({a.origin})</span></li>
        ))}
      </ul>
    </>
  );
}
