import { beforeEach, describe, expect, it } from "vitest";
import { isDirty, problemCounts, stepOfProblem, useEditor } from "./store";
import type { TraceEvent, WorkflowDoc } from "./ipc";
import { callerOf, subRunEvents, workflowOfSubRun } from "./panels/subRuns";
import { shownSteps } from "./panels/PreviewPanel";

const base: WorkflowDoc = {
  id: "w",
  workflow: { name: "W", start: "a", steps: { a: { kind: "end", name: "A" } } },
  layout: { nodes: { a: { x: 0, y: 0 } } },
  scripts: {},
  tests: [],
};

const move = (x: number) => (d: WorkflowDoc) => ({ ...d, layout: { nodes: { a: { x, y: 0 } } } });

describe("undo history", () => {
  beforeEach(() => useEditor.getState().load(base));

  it("records only the person's edits; a load is not undoable", () => {
    const s = useEditor.getState();
    expect(s.history.past).toHaveLength(0);
    expect(isDirty(useEditor.getState())).toBe(false);
    s.edit(move(10));
    expect(isDirty(useEditor.getState())).toBe(true);
    s.undo();
    expect(useEditor.getState().doc!.layout.nodes.a!.x).toBe(0);
    expect(isDirty(useEditor.getState())).toBe(false);
    s.redo();
    expect(useEditor.getState().doc!.layout.nodes.a!.x).toBe(10);
  });

  it("a drag is one step", () => {
    const s = useEditor.getState();
    for (const x of [1, 2, 3, 4]) s.edit(move(x), "drag:a");
    s.endGroup();
    s.edit(move(50), "drag:a");
    expect(useEditor.getState().history.past).toHaveLength(2);
    s.undo();
    expect(useEditor.getState().doc!.layout.nodes.a!.x).toBe(4);
    s.undo();
    expect(useEditor.getState().doc!.layout.nodes.a!.x).toBe(0);
  });

  it("a new edit clears redo; saving clears the dirty marker", () => {
    const s = useEditor.getState();
    s.edit(move(1));
    s.undo();
    s.edit(move(2));
    expect(useEditor.getState().history.future).toHaveLength(0);
    s.markSaved(useEditor.getState().doc!);
    expect(isDirty(useEditor.getState())).toBe(false);
  });

  it("lights steps up from trace events", () => {
    const s = useEditor.getState();
    s.onTraces([{ event: "step_started", step: "a", kind: "end", attempt: 1, input: {} }]);
    expect(useEditor.getState().runs.a!.status).toBe("running");
    s.onTraces([{ event: "step_finished", step: "a", kind: "end", attempt: 1, duration_ms: 0, error: { kind: "limit", message: "limit exceeded: time (5000 ms)" } }]);
    expect(useEditor.getState().runs.a!.status).toBe("error");
  });

  it("leaves the canvas alone for a sub-run's steps, which share ids with its own", () => {
    const s = useEditor.getState();
    s.replay([]);
    s.onTraces([{ event: "step_started", step: "lines", kind: "for_each", attempt: 1, input: {} }]);
    s.onTraces([{ event: "step_finished", step: "lines", kind: "end", attempt: 1, duration_ms: 0, within: "lines[0]" }]);
    expect(useEditor.getState().runs.lines!.status).toBe("running");
    expect(useEditor.getState().trace).toHaveLength(2);
    expect(callerOf("lines[12]/notify")).toBe("lines");
    expect(callerOf(undefined)).toBeNull();
  });

  it("shows a sub-run on its own canvas: its events rebased, deeper calls kept nested", async () => {
    const trace: TraceEvent[] = [
      { event: "step_started", step: "lines", kind: "for_each", attempt: 1, input: {} },
      { event: "step_finished", step: "check", kind: "custom_code", attempt: 1, duration_ms: 0, within: "lines[0]" },
      { event: "step_finished", step: "check", kind: "custom_code", attempt: 1, duration_ms: 0, error: { kind: "script", message: "bad line" }, within: "lines[1]" },
      { event: "step_finished", step: "send", kind: "end", attempt: 1, duration_ms: 0, within: "lines[1]/notify" },
      { event: "step_finished", step: "lines", kind: "for_each", attempt: 1, duration_ms: 0 },
    ];
    const sub = subRunEvents(trace, "lines[1]");
    expect(sub.map((e) => [e.event === "step_finished" && e.step, e.event === "step_finished" && e.within])).toEqual([
      ["check", undefined],
      ["send", "notify"],
    ]);
    useEditor.getState().replay(sub, { within: "lines[1]", caller: "claim", callerTrace: trace });
    expect(useEditor.getState().runs.check!.status).toBe("error");
    expect(useEditor.getState().runs.send, "a deeper call's step is not this canvas's").toBeUndefined();
    expect(useEditor.getState().subRun!.caller).toBe("claim");
    useEditor.getState().replay([]);
    expect(useEditor.getState().subRun).toBeNull();

    const doc = (steps: Record<string, unknown>) => ({ workflow: { steps } }) as unknown as WorkflowDoc;
    const docs: Record<string, WorkflowDoc> = { "line-check": doc({ notify: { kind: "sub_workflow", workflow: "notify-owner" } }) };
    const open = doc({ lines: { kind: "for_each", workflow: "line-check" } });
    expect(await workflowOfSubRun(open, "lines[1]", async (id) => docs[id]!)).toBe("line-check");
    expect(await workflowOfSubRun(open, "lines[1]/notify", async (id) => docs[id]!)).toBe("notify-owner");
    expect(await workflowOfSubRun(open, "gone[0]", async (id) => docs[id]!)).toBeNull();
  });

  it("lights a big run's steps first; its events then change no light and fill the trace", () => {
    const events: TraceEvent[] = [
      { event: "step_started", step: "a", kind: "end", attempt: 1, input: {} },
      { event: "step_finished", step: "a", kind: "end", attempt: 1, duration_ms: 0 },
      { event: "step_started", step: "b", kind: "end", attempt: 1, input: {} },
      { event: "step_finished", step: "b", kind: "end", attempt: 1, duration_ms: 0, error: { kind: "script", message: "bad" } },
      { event: "step_started", step: "c", kind: "end", attempt: 1, input: {} },
    ];
    const s = useEditor.getState();
    s.replay([{ event: "step_finished", step: "old", kind: "end", attempt: 1, duration_ms: 0 }]);
    s.startRun();
    s.onTraces(events);
    const whole = useEditor.getState();
    s.replay([{ event: "step_finished", step: "old", kind: "end", attempt: 1, duration_ms: 0 }]);
    s.startRun();
    s.onLights({ running: ["c"], ok: ["a"], error: ["b"] });
    const lit = useEditor.getState().runs;
    expect(Object.fromEntries(Object.entries(lit).map(([k, v]) => [k, v.status]))).toEqual({ a: "ok", b: "error", c: "running" });
    expect(useEditor.getState().trace, "the last run's trace is gone with its lights").toEqual([]);
    s.onTraces(events);
    for (const step of ["a", "b", "c"]) expect(useEditor.getState().runs[step]!.status).toBe(lit[step]!.status);
    expect(useEditor.getState().runs).toEqual(whole.runs);
    expect(useEditor.getState().trace).toEqual(whole.trace);
  });

  it("applies a batch of trace events in one update", () => {
    const s = useEditor.getState();
    s.replay([]);
    let updates = 0;
    const off = useEditor.subscribe(() => updates++);
    s.onTraces([
      { event: "step_started", step: "a", kind: "end", attempt: 1, input: {} },
      { event: "step_finished", step: "a", kind: "end", attempt: 1, duration_ms: 0 },
      { event: "step_started", step: "b", kind: "end", attempt: 1, input: {} },
    ]);
    off();
    expect(updates).toBe(1);
    expect(useEditor.getState().runs.a!.status).toBe("ok");
    expect(useEditor.getState().runs.b!.status).toBe("running");
    expect(useEditor.getState().trace).toHaveLength(3);
  });

  it("keeps the last run on the canvas until the new run's first events replace it", () => {
    const s = useEditor.getState();
    s.replay([{ event: "step_finished", step: "a", kind: "end", attempt: 1, duration_ms: 0 }]);
    s.startRun();
    expect(useEditor.getState().runs.a!.status, "still drawn: no redraw of a cleared canvas").toBe("ok");
    s.onTraces([{ event: "step_started", step: "b", kind: "end", attempt: 1, input: {} }]);
    expect(useEditor.getState().runs.a).toBeUndefined();
    expect(useEditor.getState().trace).toHaveLength(1);
  });

  it("lists a long run's ends and every failure, and says how many steps it left out", () => {
    const done = (i: number, error = false): TraceEvent => ({
      event: "step_finished", step: `s${i}`, kind: "custom_code", attempt: 1, duration_ms: 0, ...(error ? { error: { kind: "script", message: "bad" } } : {}),
    });
    const short = Array.from({ length: 50 }, (_, i) => done(i));
    expect(shownSteps(short)).toHaveLength(50);
    const long = Array.from({ length: 1000 }, (_, i) => done(i, i === 500));
    const shown = shownSteps(long);
    expect(shown.filter(([e]) => e !== null)).toHaveLength(201);
    expect(shown.filter(([e]) => e === null).map(([, n]) => n)).toEqual([400, 399]);
    expect(shown.find(([e]) => e?.event === "step_finished" && e.error)![1]).toBe(500);
  });

  it("finds the step a problem is about", () => {
    expect(stepOfProblem({ file: "workflows/w/workflow.json", element: "/steps/check/next", severity: "error", code: "missing-step", message: "" })).toBe("check");
    expect(stepOfProblem({ file: "workflows/w/steps/convert.js", severity: "error", code: "missing-step", message: "" })).toBe("convert");
    expect(stepOfProblem({ file: "models/m.json", severity: "error", code: "missing-step", message: "" })).toBeNull();
  });

  it("counts each step's problems in the open workflow only, once per project info", () => {
    const problem = (file: string, element?: string) => ({ file, element, severity: "error" as const, code: "missing-step" as const, message: "" });
    const info = {
      root: "/p", name: "p", workflows: [], forms: [], models: [], sources: [], rules: [],
      problems: [problem("workflows/w/workflow.json", "/steps/check/next"), problem("workflows/w/steps/check.js"), problem("workflows/w/workflow.json", "/steps/end"), problem("workflows/other/workflow.json", "/steps/check")],
    };
    const counts = problemCounts(info, "w");
    expect([...counts]).toEqual([["check", 2], ["end", 1]]);
    expect(problemCounts(info, "w")).toBe(counts);
    expect(problemCounts({ ...info, problems: [] }, "w").size).toBe(0);
    expect(problemCounts(null, "w").size).toBe(0);
  });
});
