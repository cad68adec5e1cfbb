// The project explorer: artifacts with validation badges.
import { useState } from "react";
import type { ArtifactEntry } from "../ipc";
import { useEditor } from "../store";

function Badge({ e }: { e: ArtifactEntry }) {
  if (e.errors) return <span className="badge error" title={`${e.errors} error(s)`}>{e.errors}</span>;
  if (e.warnings) return <span className="badge warning" title={`${e.warnings} warning(s)`}>{e.warnings}</span>;
  return <span className="badge ok" title="no problems">✓</span>;
}

export function Explorer({ onOpenWorkflow, onNewWorkflow }: { onOpenWorkflow: (id: string) => void; onNewWorkflow: (id: string) => void }) {
  const info = useEditor((s) => s.info);
  const current = useEditor((s) => s.doc?.id);
  const [newId, setNewId] = useState("");
  if (!info) return null;
  const group = (title: string, items: ArtifactEntry[], open?: (id: string) => void) => (
    <section>
      <h3>{title}</h3>
      {items.length === 0 && <div className="muted small">none</div>}
      {items.map((a) => (
        <button key={a.id} className={`explorer-item${current === a.id && open ? " active" : ""}`} onClick={() => open?.(a.id)} disabled={!open} data-testid={`explorer-${a.id}`}>
          <span className="explorer-name">{a.name}</span>
          <Badge e={a} />
        </button>
      ))}
    </section>
  );
  return (
    <nav className="explorer">
      <div className="project-name" title={info.root}>{info.name}</div>
      {group("Workflows", info.workflows, onOpenWorkflow)}
      <form
        className="new-workflow"
        onSubmit={(e) => {
          e.preventDefault();
          if (newId) onNewWorkflow(newId);
          setNewId("");
        }}
      >
        <input aria-label="Id of the new workflow" value={newId} onChange={(e) => setNewId(e.target.value.toLowerCase().replace(/[^a-z0-9-]/g, "-"))} placeholder="new-workflow-id" data-testid="new-workflow-id" />
        <button type="submit" disabled={!newId} data-testid="new-workflow">Add</button>
      </form>
      {group("Forms", info.forms)}
      {group("Models", info.models)}
      {group("Sources", info.sources)}
    </nav>
  );
}
