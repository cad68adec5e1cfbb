// All editor state in one zustand store. Undo keeps snapshots of the
// document taken from the person's own edits only: loads and saves reset or
// keep history, they never add to it; a drag is one step (grouped by key).
import { create } from "zustand";
import { emptyHistory, recorded, redone, undone, type History } from "./history";
import type { JsonValue, Problem, ProjectInfo, StepLights, TraceEvent, WorkflowDoc } from "./ipc";
import { withinOf } from "./panels/subRuns";

export type StepRun = {
  status: "running" | "ok" | "error";
  events: TraceEvent[];
};


/** A sub-run shown on its own workflow's canvas, and the run that called it. */
export type SubRunView = {
  /** The caller's trace path of the sub-run (`check-lines[1]`, `check-lines[1]/notify`). */
  within: string;
  /** The workflow whose run called it, and that run's whole trace, to go back to. */
  caller: string;
  callerTrace: TraceEvent[];
};

export type EditorState = {
  info: ProjectInfo | null;
  doc: WorkflowDoc | null;
  /** JSON of the document as last loaded or saved, for the dirty marker. */
  savedJson: string;
  history: History<WorkflowDoc>;
  selection: string[];
  runs: Record<string, StepRun>;
  trace: TraceEvent[];
  /** A run asked for elsewhere (a form's submission): the preview panel starts it. */
  queuedRun: { workflow: string; input: JsonValue; form?: string } | null;
  queueRun: (run: { workflow: string; input: JsonValue; form?: string } | null) => void;
  setInfo: (info: ProjectInfo | null) => void;
  load: (doc: WorkflowDoc | null) => void;
  markSaved: (doc: WorkflowDoc) => void;
  /** Replaces the list of test cases (saved on disk already), keeping unsaved edits. */
  replaceTests: (tests: WorkflowDoc["tests"]) => void;
  /** Applies a person's edit. Edits with the same `group` in a row undo as one. */
  edit: (f: (doc: WorkflowDoc) => WorkflowDoc, group?: string) => void;
  endGroup: () => void;
  undo: () => void;
  redo: () => void;
  select: (ids: string[]) => void;
  /**
   * A new run starts: the last run's states stay on the canvas until its
   * first events replace them (one redraw, not two). Nothing is drawn now:
   * a store update at the click woke every step's subscription, 1-4 ms on
   * a 1,000-step canvas before the run could start (BENCHMARKS.md, session 15).
   */
  startRun: () => void;
  /** Bumped whenever a preview has been kept in the run history. */
  runsKept: number;
  runKept: () => void;
  /** Applies trace events that came together, in one update. */
  onTraces: (events: TraceEvent[]) => void;
  /** Lights steps as events not here yet leave them (a big run's answer); the events follow with `onTraces`. */
  onLights: (lights: StepLights) => void;
  /** Shows a whole trace (a past run, a sub-run) on the open workflow's canvas. */
  replay: (events: TraceEvent[], subRun?: SubRunView | null) => void;
  subRun: SubRunView | null;
};

/** Adds `events` to the canvas's step states, in place. */
function lightSteps(runs: Record<string, StepRun>, events: TraceEvent[]): void {
  for (const e of events) {
    // A sub-run's steps belong to another workflow: they stay in the trace
    // list, and the canvas step that called them keeps its own state.
    if (withinOf(e)) continue;
    if (e.event === "step_started") {
      runs[e.step] = { status: "running", events: [...(runs[e.step]?.events ?? []), e] };
    } else if (e.event === "step_finished") {
      runs[e.step] = { status: e.error ? "error" : "ok", events: [...(runs[e.step]?.events ?? []), e] };
    }
  }
}


/** Whether the next trace events start a new run (`startRun`); no component draws it. */
let freshRun = false;

/** What a run's next events light on: nothing when they start a new run, else the steps lit so far. */
function nextRuns(s: EditorState): { fresh: boolean; runs: Record<string, StepRun> } {
  const fresh = freshRun;
  freshRun = false;
  return { fresh, runs: fresh ? {} : { ...s.runs } };
}

export const useEditor = create<EditorState>((set, get) => ({
  info: null,
  doc: null,
  savedJson: "",
  history: emptyHistory(),
  selection: [],
  runs: {},
  trace: [],
  queuedRun: null,
  queueRun: (queuedRun) => set({ queuedRun }),
  setInfo: (info) => set({ info }),
  subRun: null,
  load: (doc) => set({ doc, savedJson: doc ? JSON.stringify(doc) : "", history: emptyHistory(), selection: [], runs: {}, trace: [], subRun: null }),
  markSaved: (doc) => set({ savedJson: JSON.stringify(doc) }),
  replaceTests: (tests) =>
    set((s) => {
      if (!s.doc) return {};
      const saved = s.savedJson ? { ...JSON.parse(s.savedJson), tests } : null;
      return { doc: { ...s.doc, tests }, savedJson: saved ? JSON.stringify(saved) : s.savedJson };
    }),
  edit: (f, group) => {
    const { doc, history } = get();
    if (!doc) return;
    const next = f(doc);
    if (next === doc) return;
    set({ doc: next, history: recorded(history, doc, group) });
  },
  endGroup: () => set((s) => ({ history: { ...s.history, group: null } })),
  undo: () => {
    const { doc, history } = get();
    const step = doc && undone(history, doc);
    if (step) set({ doc: step[0], history: step[1] });
  },
  redo: () => {
    const { doc, history } = get();
    const step = doc && redone(history, doc);
    if (step) set({ doc: step[0], history: step[1] });
  },
  select: (ids) => set({ selection: ids }),
  startRun: () => {
    freshRun = true;
    if (get().subRun) set({ subRun: null });
  },
  runsKept: 0,
  runKept: () => set((s) => ({ runsKept: s.runsKept + 1 })),
  onTraces: (events) =>
    set((s) => {
      const { fresh, runs } = nextRuns(s);
      lightSteps(runs, events);
      return { runs, trace: fresh ? events : s.trace.concat(events) };
    }),
  onLights: (lights) =>
    set((s) => {
      const { fresh, runs } = nextRuns(s);
      for (const status of ["running", "ok", "error"] as const) {
        for (const step of lights[status]) runs[step] = { status, events: runs[step]?.events ?? [] };
      }
      return { runs, trace: fresh ? [] : s.trace };
    }),
  replay: (events, subRun = null) => {
    const runs: Record<string, StepRun> = {};
    lightSteps(runs, events);
    freshRun = false;
    set({ runs, trace: events, subRun });
  },
}));

/**
 * Whether the open workflow differs from what was loaded or saved. Every
 * store update asks (the toolbar's dirty marker), and a run makes thousands
 * of updates: the answer is kept for as long as the document is the same.
 */
export const isDirty = (s: EditorState) => {
  if (s.doc !== dirtyMemo.doc || s.savedJson !== dirtyMemo.saved) {
    dirtyMemo.doc = s.doc;
    dirtyMemo.saved = s.savedJson;
    dirtyMemo.dirty = s.doc !== null && JSON.stringify(s.doc) !== s.savedJson;
  }
  return dirtyMemo.dirty;
};
const dirtyMemo: { doc: WorkflowDoc | null; saved: string; dirty: boolean } = { doc: null, saved: "", dirty: false };

/** Problems of the open workflow's files. */
export function problemsOf(info: ProjectInfo | null, workflow: string | undefined): Problem[] {
  if (!info || !workflow) return [];
  return info.problems.filter((p) => p.file.startsWith(`workflows/${workflow}/`));
}

const counted = new WeakMap<ProjectInfo, Map<string, Map<string, number>>>();

/**
 * How many problems each step of `workflow` has. Every step on the canvas asks
 * on every store update (a run makes many), so the count is made once for
 * each project info and workflow.
 */
export function problemCounts(info: ProjectInfo | null, workflow: string | undefined): ReadonlyMap<string, number> {
  if (!info || !workflow) return new Map();
  let byWorkflow = counted.get(info);
  if (!byWorkflow) counted.set(info, (byWorkflow = new Map()));
  let counts = byWorkflow.get(workflow);
  if (!counts) {
    counts = new Map();
    for (const p of problemsOf(info, workflow)) {
      const step = stepOfProblem(p);
      if (step !== null) counts.set(step, (counts.get(step) ?? 0) + 1);
    }
    byWorkflow.set(workflow, counts);
  }
  return counts;
}

/** The step a problem points at (`/steps/<id>/...`), if any. */
export function stepOfProblem(p: Problem): string | null {
  const m = /^\/steps\/([^/]+)/.exec(p.element ?? "");
  if (m) return m[1]!;
  const s = /\/steps\/([^/]+)\.js$/.exec(p.file);
  return s ? s[1]! : null;
}

/** Problems of `file` at `pointer` or below it (`/components/amount`). */
export function problemsAt(info: ProjectInfo | null, file: string, pointer: string): Problem[] {
  if (!info) return [];
  return info.problems.filter((p) => p.file === file && (p.element === pointer || (p.element ?? "").startsWith(pointer + "/")));
}
