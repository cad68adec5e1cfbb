// The workspace of an open project: explorer · designer · inspector, with the
// preview, commit, problems and conflicts panels below, and the toolbar. One
// designer shows at a time (a workflow's, a model's or a form's); each keeps
// its document and undo history while another shows. This file holds what
// they share (the status line, git refreshes, save and open); the parts live
// in ./workspace.
import { useCallback, useEffect, useRef, useState } from "react";
import { ReactFlowProvider, useReactFlow } from "@xyflow/react";
import { errorText, ipc, type RenameReport, type BranchesView, type JsonValue, type MergeReport, type Permissions, type Step, type StepKind } from "./ipc";
import { addStep, pasteSteps } from "./doc";
import { docDirty, editMaking } from "./docStore";
import { autoLayout } from "./canvas/graph";
import { WorkflowCanvas } from "./canvas/WorkflowCanvas";
import { FormDesigner } from "./forms/FormDesigner";
import { FormTools } from "./forms/FormTools";
import { useFormEditor } from "./forms/useFormEditor";
import { ErrorBoundary } from "./ErrorBoundary";
import { Inspector } from "./inspector/Inspector";
import { ModelCanvas } from "./models/ModelCanvas";
import { ModelInspector } from "./models/ModelInspector";
import { ModelTools } from "./models/ModelTools";
import { autoLayout as layoutModel } from "./models/modelDoc";
import { useFieldFocus, useModelEditor } from "./models/useModelEditor";
import { Explorer } from "./panels/Explorer";
import { PermissionsDialog, ungranted } from "./panels/Permissions";
import { isDirty, useEditor } from "./store";
import { ArtifactCompare } from "./team/ArtifactCompare";
import { HandOffDialog } from "./handoff/HandOffDialog";
import { ImportDialog } from "./handoff/ImportDialog";
import { Compare } from "./team/Compare";
import { BottomPanel, type Tab } from "./workspace/BottomPanel";
import { useShortcuts } from "./workspace/shortcuts";
import { CommandPalette } from "./find/CommandPalette";
import { jumpOfAddress } from "./find/addresses";
import type { Jump } from "./panels/Problems";
import { FindContext } from "./find/ElementActions";
import "./find/find.css";
import { ShortcutsDialog } from "./workspace/ShortcutsDialog";
import { StepPalette } from "./workspace/StepPalette";
import { Toolbar } from "./workspace/Toolbar";
import { DOC_KINDS, docsChangedIn, docStore, rereadDoc, useDesigners, useDocStatus, type DocKind, type View } from "./workspace/useDesigners";
import { SourceDesigner } from "./sources/SourceDesigner";
import { useSourceEditor } from "./sources/useSourceEditor";
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
  // Only what the workspace shows of them: a drag on their canvas does not redraw it.
  const model = { id: useModelEditor((s) => s.doc?.id), name: useModelEditor((s) => s.doc?.model.name) };
  const form = { id: useFormEditor((s) => s.doc?.id), name: useFormEditor((s) => s.doc?.form.name) };
  const source = { id: useSourceEditor((s) => s.doc?.id), name: useSourceEditor((s) => s.doc?.source.name) };
  const opened: Record<View, { id: string | undefined; name: string | undefined }> = { workflow: { id: doc?.id, name: doc?.workflow.name }, model, form, source };
  const { setInfo, load, markSaved, edit, undo, redo, select } = useEditor.getState();
  const [view, setView] = useState<View>("workflow");
  const [previewingForm, setPreviewingForm] = useState(false);
  const [tab, setTab] = useState<Tab>("preview");
  const [status, setStatus] = useState("");
  const [gitTick, setGitTick] = useState(0);
  const [branches, setBranches] = useState<BranchesView | null>(null);
  const [comparing, setComparing] = useState(false);
  const [permissions, setPermissions] = useState<Permissions | null>(null);
  const [showPermissions, setShowPermissions] = useState(false);
  const [showShortcuts, setShowShortcuts] = useState(false);
  const [exporting, setExporting] = useState(false);
  const [importing, setImporting] = useState<"workflow" | "source" | null>(null);
  const [searching, setSearching] = useState(false);
  const asking = ungranted(permissions);
  /** Files of the open workflow changed on disk while it has unsaved edits. */
  const [diskChange, setDiskChange] = useState<string[] | null>(null);
  const clip = useRef<Clip | null>(null);
  const flow = useReactFlow();
  // The open designer's document state, whichever it is.
  const wfState = { dirty: useEditor(isDirty), canUndo: useEditor((s) => s.history.past.length > 0), canRedo: useEditor((s) => s.history.future.length > 0) };
  const mState = useDocStatus("model");
  const fState = useDocStatus("form");
  const sState = useDocStatus("source");
  const active = { workflow: wfState, model: mState, form: fState, source: sState }[view];

  const refreshInfo = useCallback(() => ipc.projectInfo().then(setInfo, (e) => setStatus(errorText(e))), [setInfo]);
  const refreshTeam = useCallback(() => ipc.branches().then(setBranches, () => setBranches(null)), []);
  const afterSave = useCallback(async () => {
    await refreshInfo();
    setGitTick((t) => t + 1);
  }, [refreshInfo]);
  const designers = useDesigners({ onStatus: setStatus, afterSave });

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
      for (const kind of DOC_KINDS) if (!docDirty(docStore(kind).getState())) await rereadDoc(kind);
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
  /** An open model, form or source changed on disk: an untouched one reloads, one with edits says so. */
  const reloadOthers = useCallback(async (files: string[]) => {
    for (const { kind, where } of docsChangedIn(files)) {
      if (docDirty(docStore(kind).getState())) setStatus(`${where} changed on disk while you have unsaved edits; saving will overwrite it`);
      else await rereadDoc(kind);
    }
  }, []);
  useDiskWatcher({ refreshAll, reloadDoc, onStatus: setStatus, onConflictingEdit: setDiskChange, onOtherFiles: reloadOthers });

  const saveWorkflow = useCallback(async (): Promise<boolean> => {
    const d = useEditor.getState().doc;
    if (!d) return true;
    try {
      const report = await ipc.saveWorkflow(d);
      markSaved(d);
      setStatus(report.written.length ? `Saved ${report.written.join(", ")}` : "Nothing to save");
      await afterSave();
      return true;
    } catch (e) {
      setStatus(`Not saved: ${errorText(e)}`);
      return false;
    }
  }, [markSaved, afterSave]);
  const save = () => void (view === "workflow" ? saveWorkflow() : designers.save(view));

  const openWorkflow = useCallback(
    async (id: string) => {
      setView("workflow");
      if (useEditor.getState().doc?.id === id) return;
      if (isDirty(useEditor.getState()) && !window.confirm("Discard unsaved changes to this workflow?")) return;
      try {
        load(await ipc.loadWorkflow(id));
        // Queued, not timed: React Flow fits once the new nodes are measured,
        // so a node never jumps after it is first shown (a click could miss it).
        void flow.fitView({ padding: 0.2 });
      } catch (e) {
        setStatus(cannotOpen(id, e));
      }
    },
    [flow, load],
  );
  const openOther = async (kind: DocKind, id: string) => {
    if (await designers.open(kind, id)) {
      setView(kind);
    }
  };

  useEffect(() => {
    if (!doc && info?.workflows[0]) openWorkflow(info.workflows[0].id);
  }, [info]); // eslint-disable-line react-hooks/exhaustive-deps

  const add = (kind: StepKind) => {
    const center = flow.screenToFlowPosition({ x: window.innerWidth / 2, y: window.innerHeight / 3 });
    const added = editMaking(edit, (d) => addStep(d, kind, center.x, center.y, info?.sources.map((s) => s.id) ?? []));
    if (added) select([added]);
  };

  /** A submitted form starts the workflow its `form_submit` trigger names, in the preview panel. */
  const submitForm = async (record: JsonValue) => {
    const f = useFormEditor.getState().doc;
    if (!f) return;
    try {
      const [first, ...more] = await ipc.workflowsStartedBy(f.id);
      if (!first) {
        setStatus(`No workflow starts from form ${f.id}: give one a form_submit trigger naming it`);
        return;
      }
      await openWorkflow(first);
      setTab("preview");
      useEditor.getState().queueRun({ workflow: first, input: record, form: f.id });
      setStatus(`Submitted ${f.form.name}: previewing ${first}${more.length ? ` (also started by it: ${more.join(", ")})` : ""}`);
    } catch (e) {
      setStatus(errorText(e));
    }
  };

  const layout = () => {
    if (view === "workflow") edit((d) => ({ ...d, layout: { ...d.layout, nodes: { ...d.layout.nodes, ...autoLayout(d) } } }));
    if (view === "model") useModelEditor.getState().edit(layoutModel);
  };
  const fit = () => void flow.fitView({ padding: 0.2 });
  const undoActive = () => (view === "workflow" ? undo() : docStore(view).getState().undo());
  const redoActive = () => (view === "workflow" ? redo() : docStore(view).getState().redo());
  const hasDoc = () => (view === "workflow" ? !!useEditor.getState().doc : !!docStore(view).getState().doc);

  useShortcuts({
    save,
    closeCompare: () => (comparing ? setComparing(false) : false),
    undo: undoActive,
    redo: redoActive,
    copy: () => {
      const s = useEditor.getState();
      if (view !== "workflow" || !s.doc || s.selection.length === 0) return false;
      const pick = <T,>(r: Record<string, T>) => Object.fromEntries(s.selection.filter((id) => id in r).map((id) => [id, r[id]!]));
      clip.current = { steps: pick(s.doc.workflow.steps as Record<string, Step>), scripts: pick(s.doc.scripts), nodes: pick(s.doc.layout.nodes) };
    },
    paste: () => {
      if (view !== "workflow" || !clip.current || !hasDoc()) return false;
      select(editMaking(edit, (d) => pasteSteps(d, clip.current!)) ?? []);
    },
    selectAll: () => (view === "workflow" ? select(Object.keys(useEditor.getState().doc?.workflow.steps ?? {})) : false),
    layout: () => (hasDoc() && (view === "workflow" || view === "model") ? layout() : false),
    fit: () => (view === "workflow" || view === "model" ? fit() : false),
    help: () => setShowShortcuts(true),
    search: () => setSearching(true),
  });

  /** Opens what a problem, a search hit or a reference is about, and selects it. */
  const jump = async (to: Jump) => {
    if (to.kind === "workflow") {
      await openWorkflow(to.id);
      if (to.select) {
        select([to.select]);
        const at = useEditor.getState().doc?.layout.nodes[to.select];
        if (at) setTimeout(() => flow.setCenter(at.x + 110, at.y + 40, { zoom: 1, duration: 200 }), 60);
      }
    } else {
      await openOther(to.kind, to.id);
      if (to.kind === "model") useFieldFocus.getState().set(to.field ?? null);
      if (to.select) docStore(to.kind).getState().select([to.select]);
    }
  };
  /** After a rename, every open document is read again (it may have changed or moved), then the renamed element opens. */
  const afterRename = async (r: RenameReport) => {
    // One that fails to read was the renamed artifact: it opens under its new id below.
    const again = async <D,>(id: string | undefined, read: (id: string) => Promise<D>, load: (d: D | null) => void) => {
      if (id) load(await read(id).catch(() => null));
    };
    await again(useEditor.getState().doc?.id, ipc.loadWorkflow, useEditor.getState().load);
    for (const kind of DOC_KINDS) await rereadDoc(kind);
    await afterSave();
    setStatus(`Renamed ${r.from} to ${r.to}: ${r.references} reference(s) followed${r.check_by_hand.length ? `; check ${r.check_by_hand.length} place(s) in code` : ""}`);
    openAddress(r.to);
  };
  const openAddress = (address: string) => {
    const to = jumpOfAddress(address);
    if (to) void jump(to);
    else setStatus(`${address} has no designer yet: it is a ${address.split("/")[0]?.replace(/s$/, "")} file`);
  };

  const TITLES: Record<View, string> = { workflow: "Workflow", model: "Model", form: "Form", source: "Source" };
  const title = opened[view].id ? `${TITLES[view]} · ${opened[view].name}` : view === "workflow" ? (info?.name ?? "") : "";
  const tools =
    view === "workflow" || view === "source" ? null : view === "model" ? (
      <ModelTools
        center={() => flow.screenToFlowPosition({ x: window.innerWidth / 2, y: window.innerHeight / 3 })}
        onImported={async (r) => {
          await afterSave();
          await openOther("model", r.model);
        }}
      />
    ) : (
      <FormTools previewing={previewingForm} setPreviewing={setPreviewingForm} />
    );

  const unsaved = wfState.dirty || mState.dirty || fState.dirty || sState.dirty;
  return (
    <FindContext.Provider value={{ open: openAddress, renamed: (r) => void afterRename(r), unsaved }}>
    <div className={`workspace view-${view}${comparing && opened[view].id ? " comparing" : ""}`}>
      <Toolbar
        title={title}
        dirty={active.dirty}
        anyDirty={unsaved}
        hasDoc={!!opened[view].id}
        canUndo={active.canUndo}
        canRedo={active.canRedo}
        tools={tools}
        actions={{
          undo: undoActive,
          redo: redoActive,
          layout: view === "workflow" || view === "model" ? layout : undefined,
          fit: view === "workflow" || view === "model" ? fit : undefined,
          save,
          // A source's changes are in Commit's list and `atelier diff`; it has no picture to compare.
          toggleCompare: view === "source" ? undefined : () => setComparing(!comparing),
          exportWorkflow: view === "workflow" ? () => setExporting(true) : undefined,
          openPermissions: () => setShowPermissions(true),
          showShortcuts: () => setShowShortcuts(true),
        }}
        comparing={comparing}
        asking={asking}
        branches={branches}
        onGitChanged={afterGit}
        onStatus={setStatus}
      />
      <Explorer
        onSearch={() => setSearching(true)}
        onImport={setImporting}
        current={{ kind: view, id: opened[view].id }}
        onOpen={(kind, id) => (kind === "workflow" ? openWorkflow(id) : openOther(kind, id))}
        onNew={async (kind, id, modelId) => {
          if (kind === "workflow") {
            try {
              load(await ipc.newWorkflow(id, id));
              setView("workflow");
              await afterSave();
            } catch (e) {
              setStatus(errorText(e));
            }
          } else if (await designers.create(kind, id, modelId)) setView(kind);
        }}
      />
      <ErrorBoundary key={view} what={`${view} designer`}>
      {comparing && (view === "model" || view === "form") && opened[view].id ? (
        <main className="center">
          <ArtifactCompare kind={view} id={opened[view].id!} branches={branches?.branches ?? []} onClose={() => setComparing(false)} />
        </main>
      ) : view === "source" ? (
        <SourceDesigner />
      ) : view === "model" ? (
        <>
          <main className="center">
            <ModelCanvas />
          </main>
          <ModelInspector />
        </>
      ) : view === "form" ? (
        <FormDesigner previewing={previewingForm} onSubmit={submitForm} onStatus={setStatus} />
      ) : comparing && doc ? (
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
            <StepPalette disabled={!doc} onAdd={add} />
            <WorkflowCanvas />
          </main>
          <Inspector />
        </>
      )}
      </ErrorBoundary>
      {showPermissions && <PermissionsDialog onClose={() => setShowPermissions(false)} onChanged={setPermissions} />}
      {showShortcuts && <ShortcutsDialog onClose={() => setShowShortcuts(false)} />}
      {importing && (
        <ImportDialog
          initial={importing}
          onClose={() => setImporting(null)}
          onImported={(kind, id) => {
            void refreshInfo();
            if (kind === "workflow") openWorkflow(id);
          }}
        />
      )}
      {exporting && doc && <HandOffDialog workflow={doc.id} unsaved={wfState.dirty} onClose={() => setExporting(false)} onStatus={setStatus} />}
      {searching && <CommandPalette onOpen={openAddress} onClose={() => setSearching(false)} />}
      <BottomPanel
        tab={tab}
        setTab={setTab}
        status={status}
        branches={branches}
        gitTick={gitTick}
        beforeRun={() => (isDirty(useEditor.getState()) ? saveWorkflow() : true)}
        openWorkflow={openWorkflow}
        onGitChanged={afterGit}
        previewHint={
          view === "model"
            ? "Previews run workflows. A model is checked as you edit it: see Problems."
            : view === "form"
              ? "Fill the form in with Preview in the toolbar; submitting it runs the workflow it starts, here."
              : view === "source"
                ? "Previews run workflows: an api_call step that uses this source asks before it reaches the service."
                : undefined
        }
        onJump={jump}
      />
    </div>
    </FindContext.Provider>
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
