// The toolbar: the workflow's name, the step palette, the editing actions,
// Permissions, and the git corner.
import type { BranchesView, MergeReport, StepKind } from "../ipc";
import { KindIcon, ShieldIcon } from "../canvas/icons";
import { PALETTE } from "../steps";
import { useEditor, isDirty } from "../store";
import { TeamBar } from "../team/TeamBar";
import { titled } from "./shortcuts";

export type ToolbarActions = {
  add: (kind: StepKind) => void;
  undo: () => void;
  redo: () => void;
  layout: () => void;
  fit: () => void;
  save: () => void;
  toggleCompare: () => void;
  openPermissions: () => void;
  showShortcuts: () => void;
};

export function Toolbar({
  actions,
  comparing,
  asking,
  branches,
  onGitChanged,
  onStatus,
}: {
  actions: ToolbarActions;
  comparing: boolean;
  /** How many hosts the project asks for that are not granted. */
  asking: number;
  branches: BranchesView | null;
  onGitChanged: (report?: MergeReport) => void;
  onStatus: (s: string) => void;
}) {
  const info = useEditor((s) => s.info);
  const doc = useEditor((s) => s.doc);
  const dirty = useEditor(isDirty);
  const canUndo = useEditor((s) => s.history.past.length > 0);
  const canRedo = useEditor((s) => s.history.future.length > 0);
  return (
    <header className="toolbar">
      <span className="title" data-testid="title">
        {doc ? doc.workflow.name : info?.name}
        {dirty && <span className="dirty" title="Unsaved changes" data-testid="dirty">●</span>}
      </span>
      <div className="palette" aria-label="Add a step">
        {PALETTE.map(({ kind, spec }) => (
          <button
            key={kind}
            draggable
            disabled={!doc}
            onDragStart={(e) => e.dataTransfer.setData("application/x-atelier-step", kind)}
            onClick={() => actions.add(kind)}
            title={`Add ${spec.label} (click or drag onto the canvas)`}
            data-testid={`add-${kind}`}
          >
            <KindIcon kind={kind} size={16} /> <span className="label">{spec.label}</span>
          </button>
        ))}
      </div>
      <div className="actions">
        <button onClick={actions.undo} disabled={!canUndo} title={titled("undo")} aria-label="Undo">↶</button>
        <button onClick={actions.redo} disabled={!canRedo} title={titled("redo")} aria-label="Redo">↷</button>
        <button onClick={actions.layout} disabled={!doc} title={titled("layout")}>Layout</button>
        <button onClick={actions.fit} disabled={!doc} title={titled("fit")} data-testid="fit">Fit</button>
        <button className="primary" onClick={actions.save} disabled={!dirty} title={titled("save")} data-testid="save">Save</button>
        <button onClick={actions.toggleCompare} disabled={!doc} aria-pressed={comparing} title="Compare this workflow between versions" data-testid="compare-button">Compare</button>
        <button
          onClick={actions.openPermissions}
          className={asking ? "attention" : ""}
          title={asking ? `This project asks for live calls to ${asking} host(s) you have not granted` : "Live calls, secrets and sandbox limits on this computer"}
          data-testid="permissions-button"
        >
          <ShieldIcon /> Permissions{asking ? ` (${asking})` : ""}
        </button>
        <button onClick={actions.showShortcuts} title={titled("help")} aria-label="Keyboard shortcuts" data-testid="shortcuts-button">?</button>
      </div>
      <TeamBar branches={branches} dirty={dirty} onChanged={onGitChanged} onStatus={onStatus} />
    </header>
  );
}
