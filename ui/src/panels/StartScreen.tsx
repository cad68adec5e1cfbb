// The first screen: create a project, open one, open the example, or pick a recent one.
import { useEffect, useState } from "react";
import { errorText, ipc, type ProjectInfo } from "../ipc";

export function StartScreen({ onOpen }: { onOpen: (info: ProjectInfo) => void }) {
  const [recent, setRecent] = useState<string[]>([]);
  const [path, setPath] = useState("");
  const [name, setName] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState("");
  useEffect(() => {
    // For the app benchmark: when the first screen was first drawn.
    if (performance.getEntriesByName("start-screen").length === 0) performance.mark("start-screen");
    ipc.recentProjects().then(setRecent, () => setRecent([]));
  }, []);
  const go = (f: () => Promise<ProjectInfo>) => {
    setBusy(true);
    setError("");
    f().then(onOpen, (e) => setError(errorText(e))).finally(() => setBusy(false));
  };
  return (
    <div className="start" data-testid="start-screen">
      <div className="start-card">
        <h1>Atelier</h1>
        <p className="muted">Design workflows, forms and data models as files in git. Offline.</p>
        <div className="start-actions">
          <button className="primary" disabled={busy} onClick={() => go(ipc.openExample)} data-testid="open-example">
            Open the example
          </button>
        </div>
        <h3>Create or open a project</h3>
        <label className="field">
          <span>Folder</span>
          <div className="path-row">
            <input value={path} onChange={(e) => setPath(e.target.value)} placeholder="/home/me/designs/claims" data-testid="project-path" />
            <button
              type="button"
              disabled={busy}
              title="Choose a folder"
              onClick={() => ipc.pickFolder().then((p) => p && setPath(p), (e) => setError(errorText(e)))}
              data-testid="browse"
            >
              Browse…
            </button>
          </div>
        </label>
        <label className="field">
          <span>Name (for a new project)</span>
          <input value={name} onChange={(e) => setName(e.target.value)} placeholder="Expense claims" data-testid="project-name" />
        </label>
        <div className="start-actions">
          <button disabled={busy || !path} onClick={() => go(() => ipc.createProject(path, name || undefined))} data-testid="create-project">
            Create project
          </button>
          <button disabled={busy || !path} onClick={() => go(() => ipc.openProject(path))} data-testid="open-project">
            Open folder
          </button>
        </div>
        {error && <div className="problem error" role="alert">{error}</div>}
        {recent.length > 0 && (
          <>
            <h3>Recent</h3>
            <ul className="recent">
              {recent.map((r) => (
                <li key={r}>
                  <button className="link" onClick={() => go(() => ipc.openProject(r))}>{r}</button>
                </li>
              ))}
            </ul>
          </>
        )}
      </div>
    </div>
  );
}
