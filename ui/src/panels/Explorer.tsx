// The project explorer: workflows, forms and models open in their designers;
// each shows its validation badge. New artifacts start from a valid file.
import { useState } from "react";
import type { ArtifactEntry } from "../ipc";
import { useEditor } from "../store";
import { titled } from "../workspace/shortcuts";

type Kind = "workflow" | "form" | "model" | "source";

function Badge({ e }: { e: ArtifactEntry }) {
  if (e.errors) return <span className="badge error" title={`${e.errors} error(s)`}>{e.errors}</span>;
  if (e.warnings) return <span className="badge warning" title={`${e.warnings} warning(s)`}>{e.warnings}</span>;
  return <span className="badge ok" title="no problems">✓</span>;
}

/** Past this many, a group lists the first ones and says how many more the filter would find. */
const SHOWN = 200;

const toId = (s: string) => s.toLowerCase().replace(/[^a-z0-9-]/g, "-");

/** A one-line form that adds an artifact of `kind` by id. */
function NewItem({ kind, onNew, extra }: { kind: Kind; onNew: (id: string) => void; extra?: React.ReactNode }) {
  const [id, setId] = useState("");
  return (
    <form
      className="new-workflow"
      onSubmit={(e) => {
        e.preventDefault();
        if (id) onNew(id);
        setId("");
      }}
    >
      <input aria-label={`Id of the new ${kind}`} value={id} onChange={(e) => setId(toId(e.target.value))} placeholder={`new-${kind}-id`} data-testid={`new-${kind}-id`} />
      {extra}
      <button type="submit" disabled={!id} data-testid={`new-${kind}`}>Add</button>
    </form>
  );
}

export function Explorer({
  current,
  onOpen,
  onNew,
  onSearch,
  onImport,
}: {
  current: { kind: Kind; id: string | undefined };
  onOpen: (kind: Kind, id: string) => void;
  /** `model` names the data model a new form edits. */
  onNew: (kind: Kind, id: string, model?: string) => void;
  /** Opens the command palette (Ctrl+K): search inside everything, not only names. */
  onSearch: () => void;
  /** Opens the import dialog: workflows from other tools, sources from OpenAPI. */
  onImport: (what: "workflow" | "source") => void;
}) {
  const info = useEditor((s) => s.info);
  const [formModel, setFormModel] = useState("");
  const [filter, setFilter] = useState("");
  if (!info) return null;
  const words = filter.toLowerCase().split(/\s+/).filter(Boolean);
  const group = (title: string, kind: Kind, all: ArtifactEntry[]) => {
    const items = words.length ? all.filter((a) => words.every((w) => a.name.toLowerCase().includes(w) || a.id.includes(w))) : all;
    return (
    <section>
      <h3>
        {title}
        {words.length > 0 && <span className="muted small"> {items.length} of {all.length}</span>}
      </h3>
      {items.length === 0 && <div className="muted small">{words.length ? "no match" : "none"}</div>}
      {items.slice(0, SHOWN).map((a) => (
        <button
          key={a.id}
          className={`explorer-item${current.kind === kind && current.id === a.id ? " active" : ""}`}
          onClick={() => onOpen(kind, a.id)}
          data-testid={`explorer-${a.id}`}
        >
          <span className="explorer-name">{a.name}</span>
          <Badge e={a} />
        </button>
      ))}
      {items.length > SHOWN && <div className="muted small" data-testid={`explorer-more-${title.toLowerCase()}`}>… {items.length - SHOWN} more: type to filter</div>}
    </section>
    );
  };
  const model = formModel || info.models[0]?.id || "";
  return (
    <nav className="explorer">
      <div className="project-name" title={info.root}>{info.name}</div>
      <div className="explorer-find">
      <input
        type="search"
        className="explorer-filter"
        aria-label="Filter workflows, forms, models and sources"
        placeholder="Filter…"
        value={filter}
        onChange={(e) => setFilter(e.target.value)}
        onKeyDown={(e) => e.key === "Escape" && setFilter("")}
        data-testid="explorer-filter"
      />
        <button onClick={onSearch} title={titled("search", "Search everything: steps, fields, code")} aria-label="Search everything" data-testid="search-button">⌕</button>
      </div>
      {group("Workflows", "workflow", info.workflows)}
      <NewItem kind="workflow" onNew={(id) => onNew("workflow", id)} />
      <button className="link small" onClick={() => onImport("workflow")} data-testid="import-workflow">Import from n8n, Node-RED or BPMN…</button>
      {group("Forms", "form", info.forms)}
      {info.models.length > 0 && (
        <NewItem
          kind="form"
          onNew={(id) => onNew("form", id, model)}
          extra={
            info.models.length > 1 ? (
              <select aria-label="The model the new form edits" value={model} onChange={(e) => setFormModel(e.target.value)}>
                {info.models.map((m) => (
                  <option key={m.id} value={m.id}>{m.id}</option>
                ))}
              </select>
            ) : null
          }
        />
      )}
      {group("Models", "model", info.models)}
      <NewItem kind="model" onNew={(id) => onNew("model", id)} />
      {group("Sources", "source", info.sources)}
      <NewItem kind="source" onNew={(id) => onNew("source", id)} />
      <button className="link small" onClick={() => onImport("source")} data-testid="import-source">Import an OpenAPI description…</button>
    </nav>
  );
}
