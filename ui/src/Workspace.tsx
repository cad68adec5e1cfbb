// The workspace of an open project: explorer · canvas · inspector, with the
// preview, commit, problems and conflicts panels below, and the toolbar. This
// file holds what they share (the status line, git refreshes, save and open);
// the parts live in ./workspace.
import { useCallback, useEffect, useRef, useState } from "react";
import { ReactFlowProvider, useReactFlow } from "@xyflow/react";
import { errorText, ipc, type BranchesView, type MergeReport, type Permissions, type Step, type StepKind } from "./ipc";
import { addStep, pasteSteps } from "./doc";
import { autoLayout } from "./canvas/graph";
import { WorkflowCanvas } from "./canvas/WorkflowCanvas";
import { Inspector } from "./inspector/Inspector";
import { Explorer } from "./panels/Explorer";
import { PermissionsDialog, ungranted } from "./panels/Permissions";
import { isDirty, useEditor } from "./store";
import { Compare } from "./team/Compare";
import { BottomPanel, type Tab } from "./workspace/BottomPanel";
import { useShortcuts } from "./workspace/shortcuts";
import { ShortcutsDialog } from "./workspace/ShortcutsDialog";
import { Toolbar } from "./workspace/Toolbar";
import { useDiskWatcher } from "./workspace/useDiskWatcher";

type Clip = { steps: Record<string, Step>; scripts: Record<string, string>; nodes: Record<string, { x: number; y: number }> };

/** Why a workflow cannot be opened, said so the person knows what to do. */
function cannotOpen(id: string, e: unknown): string {
  const conflicted = useEditor.getState().info?.problems.some((p) => p.code === "merge-conflict" && p.file.startsWith(`workflows/${id}/`));
  return conflicted ? `${id} has merge conflicts: resolve them in the Conflicts tab, then it opens again` : `${id} cannot be opened: ${errorText(e)}`;
}

function Workspace() {
  const info = useEditor((s) => s.info);
  const doc = useEditor((s) => s.doc);
  const { setInfo, load, markSaved, edit, undo, redo, select } = useEditor.getState();
  const [tab, setTab] = useState<Tab>("preview");
  const [status, setStatus] = useState("");
  const [gitTick, setGitTick] = useState(0);
  const [branches, setBranches] = useState<BranchesView | null>(null);
  const [comparing, setComparing] = useState(false);
  const [permissions, setPermissions] = useState<Permissions | null>(null);
  const [showPermissions, setShowPermissions] = useState(false);
  const [showShortcuts, setShowShortcuts] = useState(false);
  const asking = ungranted(permissions);
  /** Files of the open workflow changed on disk while it has unsaved edits. */
  const [diskChange, setDiskChange] = useState<string[] | null>(null);
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
  }, []); // eslint-disable-line react-hooks/exhaustive-deps
  useDiskWatcher({ refreshAll, reloadDoc, onStatus: setStatus, onConflictingEdit: setDiskChange });

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

  const add = (kind: StepKind) => {
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

  const fit = () => void flow.fitView({ padding: 0.2 });
  const hasDoc = () => !!useEditor.getState().doc;

  useShortcuts({
    save: () => void save(),
    closeCompare: () => (comparing ? setComparing(false) : false),
    undo,
    redo,
    copy: () => {
      const s = useEditor.getState();
      if (!s.doc || s.selection.length === 0) return false;
      const pick = <T,>(r: Record<string, T>) => Object.fromEntries(s.selection.filter((id) => id in r).map((id) => [id, r[id]!]));
      clip.current = { steps: pick(s.doc.workflow.steps as Record<string, Step>), scripts: pick(s.doc.scripts), nodes: pick(s.doc.layout.nodes) };
    },
    paste: () => {
      if (!clip.current || !hasDoc()) return false;
      let ids: string[] = [];
      edit((d) => {
        const [next, added] = pasteSteps(d, clip.current!);
        ids = added;
        return next;
      });
      select(ids);
    },
    selectAll: () => select(Object.keys(useEditor.getState().doc?.workflow.steps ?? {})),
    layout: () => (hasDoc() ? layout() : false),
    fit,
    help: () => setShowShortcuts(true),
  });

  return (
    <div className={`workspace${comparing && doc ? " comparing" : ""}`}>
      <Toolbar
        actions={{ add, undo, redo, layout, fit, save: () => void save(), toggleCompare: () => setComparing(!comparing), openPermissions: () => setShowPermissions(true), showShortcuts: () => setShowShortcuts(true) }}
        comparing={comparing}
        asking={asking}
        branches={branches}
        onGitChanged={afterGit}
        onStatus={setStatus}
      />
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
      {showShortcuts && <ShortcutsDialog onClose={() => setShowShortcuts(false)} />}
      <BottomPanel
        tab={tab}
        setTab={setTab}
        status={status}
        branches={branches}
        gitTick={gitTick}
        beforeRun={async () => (isDirty(useEditor.getState()) ? save() : true)}
        onGitChanged={afterGit}
        onJump={async (wf, step) => {
          if (wf && wf !== useEditor.getState().doc?.id) await openWorkflow(wf);
          if (step) select([step]);
        }}
      />
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
