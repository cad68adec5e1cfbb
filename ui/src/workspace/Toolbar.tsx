// The toolbar: what is open (and whether it has unsaved edits), the open
// designer's own tools, the editing actions, Permissions, and the git corner.
import type { ReactNode } from "react";
import type { BranchesView, MergeReport } from "../ipc";
import { ShieldIcon } from "../canvas/icons";
import { TeamBar } from "../team/TeamBar";
import { titled } from "./shortcuts";

export type ToolbarActions = {
  undo: () => void;
  redo: () => void;
  /** Absent where the designer has no auto-layout or zoom (forms). */
  layout?: () => void;
  fit?: () => void;
  save: () => void;
  /** Absent where there is no compare view yet (models, forms). */
  toggleCompare?: () => void;
  /** The workflow's picture and BPMN; absent for models and forms. */
  exportWorkflow?: () => void;
  openPermissions: () => void;
  showShortcuts: () => void;
};

export function Toolbar({
  title,
  dirty,
  anyDirty,
  hasDoc,
  canUndo,
  canRedo,
  tools,
  actions,
  comparing,
  asking,
  branches,
  onGitChanged,
  onStatus,
}: {
  /** `Workflow · Expense approval`. */
  title: string;
  dirty: boolean;
  /** Unsaved edits in any open designer: git operations that rewrite files wait for them. */
  anyDirty: boolean;
  hasDoc: boolean;
  canUndo: boolean;
  canRedo: boolean;
  /** The open designer's own buttons (the step palette, + Entity...). */
  tools: ReactNode;
  actions: ToolbarActions;
  comparing: boolean;
  /** How many hosts the project asks for that are not granted. */
  asking: number;
  branches: BranchesView | null;
  onGitChanged: (report?: MergeReport) => void;
  onStatus: (s: string) => void;
}) {
  return (
    <header className="toolbar">
      <span className="title" data-testid="title">
        {title}
        {dirty && <span className="dirty" title="Unsaved changes" data-testid="dirty">●</span>}
      </span>
      <div className="palette">{tools}</div>
      <div className="actions">
        <button onClick={actions.undo} disabled={!canUndo} title={titled("undo")} aria-label="Undo">↶</button>
        <button onClick={actions.redo} disabled={!canRedo} title={titled("redo")} aria-label="Redo">↷</button>
        {actions.layout && <button onClick={actions.layout} disabled={!hasDoc} title={titled("layout")} data-testid="layout">Layout</button>}
        {actions.fit && <button onClick={actions.fit} disabled={!hasDoc} title={titled("fit")} data-testid="fit">Fit</button>}
        <button className="primary" onClick={actions.save} disabled={!dirty} title={titled("save")} data-testid="save">Save</button>
        {actions.exportWorkflow && <button onClick={actions.exportWorkflow} disabled={!hasDoc} title="A picture for review (SVG) or BPMN 2.0 for Camunda 8" data-testid="export-workflow">Export</button>}
        {actions.toggleCompare && <button onClick={actions.toggleCompare} disabled={!hasDoc} aria-pressed={comparing} title="Compare with another version: HEAD, a branch or a commit" data-testid="compare-button">Compare</button>}
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
      <TeamBar branches={branches} dirty={anyDirty} onChanged={onGitChanged} onStatus={onStatus} />
    </header>
  );
}
