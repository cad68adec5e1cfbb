// What the open project asks of this machine, and what the person grants it.
// A cloned repository can only ask: live calls and secrets are granted here,
// and kept on this computer, never in the project.
import { useEffect, useState } from "react";
import { Modal } from "../Modal";
import { errorText, ipc, type Permissions } from "../ipc";

const LIMIT_LABEL: Record<string, [string, string]> = {
  script_timeout_ms: ["Time per script call", "ms"],
  script_memory_mb: ["Memory of a script worker", "MB"],
  script_loop_iterations: ["Loop iterations per call", ""],
  script_recursion: ["Recursion depth", ""],
};

/** 1,000,000: grouped the same way whatever the machine's locale. */
const grouped = (n: number) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ",");

/** How many live hosts the project asks for that are not granted. */
export function ungranted(p: Permissions | null): number {
  return p ? p.hosts.filter((h) => h.asked && !h.granted).length : 0;
}

export function PermissionsDialog({ onClose, onChanged }: { onClose: () => void; onChanged: (p: Permissions) => void }) {
  const [view, setView] = useState<Permissions | null>(null);
  const [hosts, setHosts] = useState<Record<string, boolean>>({});
  const [vars, setVars] = useState<Record<string, string>>({});
  const [error, setError] = useState("");
  const [saving, setSaving] = useState(false);

  const show = (p: Permissions) => {
    setView(p);
    setHosts(Object.fromEntries(p.hosts.map((h) => [h.host, h.granted])));
    setVars(Object.fromEntries(p.secrets.map((s) => [s.name, s.variable.startsWith("ATELIER_SECRET_") ? "" : s.variable])));
  };
  useEffect(() => {
    ipc.permissions().then(show, (e) => setError(errorText(e)));
  }, []);

  const save = async () => {
    setSaving(true);
    setError("");
    try {
      const p = await ipc.setGrants({
        root: "",
        live_hosts: Object.entries(hosts).filter(([, on]) => on).map(([h]) => h),
        secrets: Object.fromEntries(Object.entries(vars).filter(([, v]) => v.trim() !== "").map(([k, v]) => [k, v.trim()])),
      });
      show(p);
      onChanged(p);
      onClose();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal title="Permissions on this computer" onClose={onClose} wide testId="permissions-dialog">
        <h2>Permissions on this computer</h2>
        <p className="muted small">
          A project can only <em>ask</em>. What you allow here is kept on this computer, never in the project, so a teammate's branch
          cannot grant itself anything.
        </p>
        {error && <div className="problem error" role="alert">{error}</div>}
        {!view && !error && <div className="progress" role="progressbar" aria-label="Loading permissions" />}
        {view && (
          <>
            <h3>Live calls</h3>
            {view.hosts.length === 0 ? (
              <p className="muted small">This project calls no hosts.</p>
            ) : (
              <table className="grants" data-testid="grant-hosts">
                <tbody>
                  {view.hosts.map((h) => (
                    <tr key={h.host}>
                      <td>
                        <label className="check">
                          <input type="checkbox" checked={!!hosts[h.host]} onChange={(e) => setHosts({ ...hosts, [h.host]: e.target.checked })} data-testid={`grant-host-${h.host}`} />{" "}
                          <code>{h.host}</code>
                        </label>
                      </td>
                      <td className="muted small">
                        {h.asked ? "asked by atelier.json" : "not asked"}
                        {h.sources.length > 0 ? ` · sources: ${h.sources.join(", ")}` : ""}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
            <p className="muted small">Without a grant, an API call answers only from the test case's mocks.</p>
            <h3>Secrets</h3>
            {view.secrets.length === 0 ? (
              <p className="muted small">This project needs no secrets.</p>
            ) : (
              <table className="grants" data-testid="grant-secrets">
                <tbody>
                  {view.secrets.map((s) => (
                    <tr key={s.name}>
                      <td>
                        <code>{s.name}</code>
                        {s.sources.length > 0 && <div className="muted small">for {s.sources.join(", ")}</div>}
                      </td>
                      <td>
                        <label className="small">
                          Read from variable{" "}
                          <input
                            value={vars[s.name] ?? ""}
                            placeholder={`ATELIER_SECRET_${s.name}`}
                            onChange={(e) => setVars({ ...vars, [s.name]: e.target.value })}
                            data-testid={`grant-secret-${s.name}`}
                          />
                        </label>
                      </td>
                      <td className={s.available ? "ok small" : "muted small"}>{s.available ? "set" : "not set"}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
            <h3>Sandbox limits</h3>
            <table className="grants" data-testid="grant-limits">
              <thead>
                <tr className="muted small">
                  <th></th>
                  <th>asked</th>
                  <th>allowed at most</th>
                  <th>in effect</th>
                </tr>
              </thead>
              <tbody>
                {view.limits.map((l) => {
                  const [label, unit] = LIMIT_LABEL[l.name] ?? [l.name, ""];
                  return (
                    <tr key={l.name}>
                      <td>{label}</td>
                      <td className={l.asked > l.max || l.asked === 0 ? "warn" : ""}>{grouped(l.asked)} {unit}</td>
                      <td>{grouped(l.max)} {unit}</td>
                      <td><strong>{grouped(l.effective)} {unit}</strong></td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
            {view.grants_file && <p className="muted small">Kept in <code>{view.grants_file}</code></p>}
          </>
        )}
        <div className="start-actions">
          <button className="primary" onClick={save} disabled={!view || saving} data-testid="grant-save">{saving ? "Saving…" : "Save"}</button>
          <button onClick={onClose}>Close</button>
        </div>
    </Modal>
  );
}
