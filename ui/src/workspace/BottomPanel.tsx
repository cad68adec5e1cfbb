// The tabs below the canvas: preview, commit, problems and (during a merge,
// or while any are open) conflicts, with the status line.
import { RunHistory } from "../panels/RunHistory";
import type { BranchesView, MergeReport } from "../ipc";
import { CommitPanel } from "../panels/CommitPanel";
import { PreviewPanel } from "../panels/PreviewPanel";
import { Problems, type Jump } from "../panels/Problems";
import { useEditor } from "../store";
import { Conflicts } from "../team/Conflicts";

export type Tab = "preview" | "history" | "commit" | "problems" | "conflicts";

export function BottomPanel({
  tab,
  setTab,
  status,
  branches,
  gitTick,
  beforeRun,
  openWorkflow,
  onGitChanged,
  onJump,
  previewHint,
}: {
  tab: Tab;
  setTab: (t: Tab) => void;
  status: string;
  branches: BranchesView | null;
  /** Bumped whenever git's state may have changed, so the panels read it again. */
  gitTick: number;
  /** Saves what the run needs saved first; true (at once, when nothing waits) to go on. */
  beforeRun: () => boolean | Promise<boolean>;
  /** Opens a workflow on the canvas (a sub-run's, from the preview's trace). */
  openWorkflow: (id: string) => Promise<void>;
  onGitChanged: (report?: MergeReport) => void;
  onJump: (to: Jump) => void;
  /** Said in the Preview tab instead of the workflow preview (a model or form is open). */
  previewHint?: string;
}) {
  const info = useEditor((s) => s.info);
  const conflictCount = info?.problems.filter((p) => p.code === "merge-conflict").length ?? 0;
  const shown = (["preview", "history", "commit", "problems", "conflicts"] as const).filter((t) => t !== "conflicts" || conflictCount > 0 || !!branches?.merging || tab === "conflicts");
  const title = (t: Tab) => (t === "problems" ? `Problems (${info?.problems.length ?? 0})` : t === "conflicts" ? `Conflicts (${conflictCount})` : t[0]!.toUpperCase() + t.slice(1));
  return (
    <section className="bottom">
      <div className="tabs" role="tablist">
        {shown.map((t) => (
          <button key={t} role="tab" aria-selected={tab === t} className={`${tab === t ? "active" : ""}${t === "conflicts" ? " attention" : ""}`} onClick={() => setTab(t)} data-testid={`tab-${t}`}>
            {title(t)}
          </button>
        ))}
        <span className="status" data-testid="status">{status}</span>
      </div>
      <div className="tab-body">
        {tab === "preview" && (previewHint ? <p className="muted" data-testid="preview-hint">{previewHint}</p> : <PreviewPanel beforeRun={beforeRun} openWorkflow={openWorkflow} />)}
        {tab === "history" && <RunHistory onShown={() => setTab("preview")} />}
        {tab === "commit" && <CommitPanel refreshKey={gitTick} onCommitted={onGitChanged} />}
        {tab === "conflicts" && <Conflicts merging={branches?.merging} refreshKey={gitTick} onChanged={onGitChanged} />}
        {tab === "problems" && <Problems onJump={onJump} />}
      </div>
    </section>
  );
}
