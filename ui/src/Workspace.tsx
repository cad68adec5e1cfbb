// The workspace of an open project: explorer · canvas · inspector, with the
// preview, commit, problems and conflicts panels below, and the toolbar's
// palette, actions and git corner. Keyboard shortcuts live here.
import { useCallback, useEffect, useRef, useState } from "react";
import { ReactFlowProvider, useReactFlow } from "@xyflow/react";
import { errorText, ipc, type BranchesView, type MergeReport, type Permissions, type Step } from "./ipc";
import { KINDS, addStep, pasteSteps } from "./doc";
import { autoLayout } from "./canvas/graph";
import { KindIcon, ShieldIcon } from "./canvas/icons";
import { WorkflowCanvas } from "./canvas/WorkflowCanvas";
import { Inspector } from "./inspector/Inspector";
import { CommitPanel } from "./panels/CommitPanel";
import { Explorer } from "./panels/Explorer";
import { PermissionsDialog, ungranted } from "./panels/Permissions";
import { PreviewPanel } from "./panels/PreviewPanel";
import { Problems } from "./panels/Problems";
import { isDirty, useEditor } from "./store";
import { Compare } from "./team/Compare";
import { Conflicts } from "./team/Conflicts";
import { TeamBar } from "./team/TeamBar";

type Clip = { steps: Record<string, Step>; scripts: Record<string, string>; nodes: Record<string, { x: number; y: number }> };

function typingIn(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  return !!el && (el.tagName === "INPUT" || el.tagName === "TEXTAREA" || el.tagName === "SELECT" || !!el.closest(".cm-editor"));
}

/** Why a workflow cannot be opened, said so the person knows what to do. */
function cannotOpen(id: string, e: unknown): string {
  const conflicted = useEditor.getState().info?.problems.some((p) => p.code === "merge-conflict" && p.file.startsWith(`workflows/${id}/`));
  return conflicted ? `${id} has merge conflicts: resolve them in the Conflicts tab, then it opens again` : `${id} cannot be opened: ${errorText(e)}`;
}

function Workspace() {
  const info = useEditor((s) => s.info);
  const doc = useEditor((s) => s.doc);
  const dirty = useEditor(isDirty);
  const canUndo = useEditor((s) => s.history.past.length > 0);
  const canRedo = useEditor((s) => s.history.future.length > 0);
  const { setInfo, load, markSaved, edit, undo, redo, select } = useEditor.getState();
  const [tab, setTab] = useState<"preview" | "commit" | "problems" | "conflicts">("preview");
  const [status, setStatus] = useState("");
  const [gitTick, setGitTick] = useState(0);
  const [branches, setBranches] = useState<BranchesView | null>(null);
  const [comparing, setComparing] = useState(false);
  const [permissions, setPermissions] = useState<Permissions | null>(null);
  const [showPermissions, setShowPermissions] = useState(false);
  const asking = ungranted(permissions);
  /** Files of the open workflow changed on disk while it has unsaved edits. */
  const [diskChange, setDiskChange] = useState<string[] | null>(null);
  const conflictCount = info?.problems.filter((p) => p.code === "merge-conflict").length ?? 0;
  const clip = useRef<Clip | null>(null);
  const flow = useReactFlow();

  const refreshInfo = useCallback(() => ipc.projectInfo().then(setInfo, (e) => setStatus(errorText(e))), [setInfo]);
  const refreshTeam = useCallback(() => ipc.branches().then(setBranches, () => setBranches(null)), []);

  /** Reads the open workflow again from disk (it changed there). */
  const reloadDoc = useCallback(async () => {
    const d = useEditor.getState().doc;
    if (!d) return;
    try {
      load(await ipc.loadWorkflow(d.id));
    } catch (e) {
      load(null);
      setStatus(cannotOpen(d.id, e));
    }
    setDiskChange(null);
  }, [load]);

  /** Explorer, problems, branches and the commit panel read again. */
  const refreshAll = useCallback(async () => {
    await refreshInfo();
    await refreshTeam();
    setGitTick((t) => t + 1);
  }, [refreshInfo, refreshTeam]);

  /** After a switch, merge, pull, resolution or commit: everything may have changed. */
  const afterGit = useCallback(
    async (report?: MergeReport) => {
      await refreshAll();
      if (!isDirty(useEditor.getState())) await reloadDoc();
      if (report?.result === "conflicts") setTab("conflicts");
    },
    [refreshAll, reloadDoc],
  );

  useEffect(() => {
    ipc.permissions().then(setPermissions, () => setPermissions(null));
  }, [info?.root]);

  useEffect(() => {
    refreshTeam();
    // The watcher: someone else (an editor, `git pull` in a terminal) changed files.
    const un = ipc.onFilesChanged(async (files) => {
      await refreshAll();
      const s = useEditor.getState();
      if (!s.doc || !files.some((f) => f.startsWith(`workflows/${s.doc!.id}/`))) {
        setStatus(`Changed on disk: ${files.join(", ")}`);
      } else if (isDirty(s)) {
        setDiskChange(files);
      } else {
        await reloadDoc();
        setStatus(`Reloaded ${s.doc.workflow.name}: it changed on disk`);
      }
    });
    return () => void un.then((f) => f());
  }, []); // eslint-disable-line react-hooks/exhaustive-deps

  const save = useCallback(async (): Promise<boolean> => {
    const d = useEditor.getState().doc;
    if (!d) return true;
    try {
      const report = await ipc.saveWorkflow(d);
      markSaved(d);
      setStatus(report.written.length ? `Saved ${report.written.join(", ")}` : "Nothing to save");
      await refreshInfo();
      setGitTick((t) => t + 1);
      return true;
    } catch (e) {
      setStatus(`Not saved: ${errorText(e)}`);
      return false;
    }
  }, [markSaved, refreshInfo]);

  const openWorkflow = useCallback(
    async (id: string) => {
      if (isDirty(useEditor.getState()) && !window.confirm("Discard unsaved changes to this workflow?")) return;
      try {
        load(await ipc.loadWorkflow(id));
        setTimeout(() => flow.fitView({ padding: 0.2 }), 50);
      } catch (e) {
        setStatus(cannotOpen(id, e));
      }
    },
    [flow, load],
  );

  useEffect(() => {
    if (!doc && info?.workflows[0]) openWorkflow(info.workflows[0].id);
  }, [info]); // eslint-disable-line react-hooks/exhaustive-deps

  const add = (kind: (typeof KINDS)[number]["kind"]) => {
    const center = flow.screenToFlowPosition({ x: window.innerWidth / 2, y: window.innerHeight / 3 });
    let added = "";
    edit((d) => {
      const [next, id] = addStep(d, kind, center.x, center.y, info?.sources.map((s) => s.id) ?? []);
      added = id;
      return next;
    });
    if (added) select([added]);
  };

  const layout = () => edit((d) => ({ ...d, layout: { ...d.layout, nodes: { ...d.layout.nodes, ...autoLayout(d) } } }));

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const mod = e.ctrlKey || e.metaKey;
      const key = e.key.toLowerCase();
      if (mod && key === "s") {
        e.preventDefault();
        save();
        return;
      }
      if (key === "escape" && comparing) return setComparing(false);
      if (typingIn(e.target)) return;
      if (mod && key === "z" && !e.shiftKey) {
        e.preventDefault();
        undo();
      } else if (mod && ((key === "z" && e.shiftKey) || key === "y")) {
        e.preventDefault();
        redo();
      } else if (mod && key === "c") {
        const s = useEditor.getState();
        if (!s.doc || s.selection.length === 0) return;
        const pick = <T,>(r: Record<string, T>) => Object.fromEntries(s.selection.filter((id) => id in r).map((id) => [id, r[id]!]));
        clip.current = { steps: pick(s.doc.workflow.steps as Record<string, Step>), scripts: pick(s.doc.scripts), nodes: pick(s.doc.layout.nodes) };
      } else if (mod && key === "v" && clip.current) {
        let ids: string[] = [];
        edit((d) => {
          const [next, added] = pasteSteps(d, clip.current!);
          ids = added;
          return next;
        });
        select(ids);
      } else if (mod && key === "a") {
        e.preventDefault();
        select(Object.keys(useEditor.getState().doc?.workflow.steps ?? {}));
      } else if (e.shiftKey && key === "l") layout();
      else if (key === "f" && !mod) flow.fitView({ padding: 0.2 });
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  });

  return (
    <div className={`workspace${comparing && doc ? " comparing" : ""}`}>
      <header className="toolbar">
        <span className="title" data-testid="title">
          {doc ? doc.workflow.name : info?.name}
          {dirty && <span className="dirty" title="Unsaved changes" data-testid="dirty">●</span>}
        </span>
        <div className="palette" aria-label="Add a step">
          {KINDS.map((k) => (
            <button
              key={k.kind}
              draggable
              disabled={!doc}
              onDragStart={(e) => e.dataTransfer.setData("application/x-atelier-step", k.kind)}
              onClick={() => add(k.kind)}
              title={`Add ${k.label} (click or drag onto the canvas)`}
              data-testid={`add-${k.kind}`}
            >
              <KindIcon kind={k.kind} size={16} /> <span className="label">{k.label}</span>
            </button>
          ))}
        </div>
        <div className="actions">
          <button onClick={undo} disabled={!canUndo} title="Undo (Ctrl+Z)">↶</button>
          <button onClick={redo} disabled={!canRedo} title="Redo (Ctrl+Shift+Z)">↷</button>
          <button onClick={layout} disabled={!doc} title="Auto-layout (Shift+L)">Layout</button>
          <button onClick={() => flow.fitView({ padding: 0.2 })} disabled={!doc} title="Zoom to fit (F)" data-testid="fit">Fit</button>
          <button className="primary" onClick={save} disabled={!dirty} title="Save (Ctrl+S)" data-testid="save">Save</button>
          <button onClick={() => setComparing(!comparing)} disabled={!doc} aria-pressed={comparing} title="Compare this workflow between versions" data-testid="compare-button">Compare</button>
          <button
            onClick={() => setShowPermissions(true)}
            className={asking ? "attention" : ""}
            title={asking ? `This project asks for live calls to ${asking} host(s) you have not granted` : "Live calls, secrets and sandbox limits on this computer"}
            data-testid="permissions-button"
          >
            <ShieldIcon /> Permissions{asking ? ` (${asking})` : ""}
          </button>
        </div>
        <TeamBar branches={branches} dirty={dirty} onChanged={afterGit} onStatus={setStatus} />
      </header>
      <Explorer
        onOpenWorkflow={openWorkflow}
        onNewWorkflow={async (id) => {
          try {
            load(await ipc.newWorkflow(id, id));
            await refreshInfo();
            setGitTick((t) => t + 1);
          } catch (e) {
            setStatus(errorText(e));
          }
        }}
      />
      {comparing && doc ? (
        <main className="center">
          <Compare workflow={doc.id} branches={branches?.branches ?? []} onClose={() => setComparing(false)} />
        </main>
      ) : (
        <>
          <main className="center">
            {diskChange && (
              <div className="banner" role="alert" data-testid="disk-change">
                <span title={diskChange.join("\n")}>This workflow changed on disk while you have unsaved edits.</span>
                <button onClick={reloadDoc} data-testid="disk-reload">Reload from disk</button>
                <button onClick={() => setDiskChange(null)} data-testid="disk-keep">Keep mine</button>
              </div>
            )}
            <WorkflowCanvas />
          </main>
          <Inspector />
        </>
      )}
      {showPermissions && <PermissionsDialog onClose={() => setShowPermissions(false)} onChanged={setPermissions} />}
      <section className="bottom">
        <div className="tabs" role="tablist">
          {(["preview", "commit", "problems", "conflicts"] as const)
            .filter((t) => t !== "conflicts" || conflictCount > 0 || !!branches?.merging || tab === "conflicts")
            .map((t) => (
              <button key={t} role="tab" aria-selected={tab === t} className={`${tab === t ? "active" : ""}${t === "conflicts" ? " attention" : ""}`} onClick={() => setTab(t)} data-testid={`tab-${t}`}>
                {t === "problems" ? `Problems (${info?.problems.length ?? 0})` : t === "conflicts" ? `Conflicts (${conflictCount})` : t[0]!.toUpperCase() + t.slice(1)}
              </button>
            ))}
          <span className="status" data-testid="status">{status}</span>
        </div>
        <div className="tab-body">
          {tab === "preview" && <PreviewPanel beforeRun={async () => (isDirty(useEditor.getState()) ? save() : true)} />}
          {tab === "commit" && <CommitPanel refreshKey={gitTick} onCommitted={afterGit} />}
          {tab === "conflicts" && <Conflicts merging={branches?.merging} refreshKey={gitTick} onChanged={afterGit} />}
          {tab === "problems" && (
            <Problems
              onJump={async (wf, step) => {
                if (wf && wf !== useEditor.getState().doc?.id) await openWorkflow(wf);
                if (step) select([step]);
              }}
            />
          )}
        </div>
      </section>
    </div>
  );
}

/** The workspace with its React Flow context; loaded only once a project is open. */
export default function OpenWorkspace() {
  return (
    <ReactFlowProvider>
      <Workspace />
    </ReactFlowProvider>
  );
}
