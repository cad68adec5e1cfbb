// Run a preview: pick a test case or type input JSON, watch steps light up.
import { useDeferredValue, useEffect, useRef, useState } from "react";
import { flushSync } from "react-dom";
import { errorText, ipc, type ApprovalRequest, type Decision, type JsonValue, type RunResult, type StepLights, type TraceEvent, type Verdict } from "../ipc";
import { Modal } from "../Modal";
import { useEditor } from "../store";
import { subRunEvents, workflowOfSubRun } from "./subRuns";

export function PreviewPanel({ beforeRun, openWorkflow }: { beforeRun: () => boolean | Promise<boolean>; openWorkflow: (id: string) => Promise<void> }) {
  const doc = useEditor((s) => s.doc);
  const trace = useEditor((s) => s.trace);
  // The trace list is drawn after the canvas's lights and the result, when there is time.
  const listed = useDeferredValue(trace);
  const subRun = useEditor((s) => s.subRun);
  const startRun = useEditor((s) => s.startRun);
  const onTraces = useEditor((s) => s.onTraces);
  const onLights = useEditor((s) => s.onLights);
  const runKept = useEditor((s) => s.runKept);
  const select = useEditor((s) => s.select);
  const [caseId, setCaseId] = useState("");
  const [input, setInput] = useState("{}");
  // A run shows that it runs (the progress bar, the Stop button, the last
  // result gone) only once it takes longer than a blink: a short run would
  // flash them, and drawing them would take the CPU the run needs. Until
  // then the panel stays as it was and a second Run is ignored.
  const [slow, setSlow] = useState(false);
  const running = useRef(false);
  // The last run's result, shown while its workflow is open (and again when
  // a person comes back to it from a sub-run).
  const [last, setLast] = useState<{ workflow: string; result: RunResult; n: number; wallUs: number; later: boolean } | null>(null);
  const finishedRuns = useRef(0);
  const result = last && last.workflow === doc?.id ? last.result : null;
  const [error, setError] = useState("");
  const [asking, setAsking] = useState<ApprovalRequest | null>(null);
  const [comment, setComment] = useState("");
  const [decided, setDecided] = useState<Record<string, Decision>>({});
  const [lastInput, setLastInput] = useState<unknown>(null);
  const [newCase, setNewCase] = useState("");
  const replaceTests = useEditor((s) => s.replaceTests);
  /** Opens the workflow a sub-run walked, with that run shown on its canvas. */
  const openSubRun = async (within: string, step: string) => {
    const s = useEditor.getState();
    if (!s.doc) return;
    const caller = s.subRun ?? { within: "", caller: s.doc.id, callerTrace: s.trace };
    const full = caller.within ? `${caller.within}/${within}` : within;
    try {
      const called = await workflowOfSubRun(s.doc, within, ipc.loadWorkflow);
      if (!called) {
        setError(`The step that ran ${within} no longer names a workflow`);
        return;
      }
      await openWorkflow(called);
      if (useEditor.getState().doc?.id !== called) return;
      useEditor.getState().replay(subRunEvents(caller.callerTrace, full), { ...caller, within: full });
      useEditor.getState().select([step]);
    } catch (e) {
      setError(errorText(e));
    }
  };
  const backToCaller = async () => {
    if (!subRun) return;
    await openWorkflow(subRun.caller);
    if (useEditor.getState().doc?.id === subRun.caller) useEditor.getState().replay(subRun.callerTrace);
  };
  const decide = (decision: Verdict | null) => {
    const d: Decision | null = decision ? { decision, by: "preview", comment } : null;
    if (d && asking) setDecided((m) => ({ ...m, [asking.step]: d }));
    setAsking(null);
    ipc.answerApproval(d).catch((e) => setError(errorText(e)));
  };
  const saveCase = async () => {
    if (!doc || !result) return;
    const started = trace.find((e) => e.event === "run_started");
    try {
      const saved = await ipc.saveTestCase({
        workflow: doc.id,
        id: newCase,
        name: newCase.replace(/-/g, " "),
        input: lastInput as never,
        clock: started && started.event === "run_started" ? started.clock : undefined,
        approvals: decided,
        expect: { status: result.status, end_step: result.end_step ?? undefined, output: result.output ?? undefined },
      });
      replaceTests(saved.tests);
      setCaseId(newCase);
      setNewCase("");
    } catch (e) {
      setError(errorText(e));
    }
  };
  useEffect(() => setCaseId(doc?.tests[0]?.id ?? ""), [doc?.id]); // eslint-disable-line react-hooks/exhaustive-deps
  // Once a run's result is painted (after the next frame), the app keeps the
  // run in the history; not sooner: writing it took the CPU the result
  // needed on its way here. Then too a big run's last events follow (its
  // answer lit the steps without them), for the trace list and the steps'
  // details; not when another run has started since (the app forgets a
  // run's events when the next one starts), nor on another workflow.
  useEffect(() => {
    if (!last) return;
    const n = last.n;
    const current = () => finishedRuns.current === n && !running.current && useEditor.getState().doc?.id === last.workflow;
    const frame = requestAnimationFrame(() => {
      setTimeout(() => void ipc.previewShown().catch(() => {}));
      if (last.later && current()) {
        ipc
          .previewRest()
          .then((events) => current() && onTraces(events))
          .catch((e) => setError(errorText(e)));
      }
    });
    return () => cancelAnimationFrame(frame);
  }, [last?.n]); // eslint-disable-line react-hooks/exhaustive-deps
  // A run asked for elsewhere (a submitted form) starts once its workflow is open here.
  const queued = useEditor((s) => s.queuedRun);
  const runRef = useRef<((given?: JsonValue, form?: string) => Promise<void>) | null>(null);
  useEffect(() => {
    if (!queued || !doc || queued.workflow !== doc.id || running.current) return;
    useEditor.getState().queueRun(null);
    setCaseId("");
    setInput(JSON.stringify(queued.input, null, 2));
    void runRef.current?.(queued.input, queued.form);
  }, [queued, doc?.id]); // eslint-disable-line react-hooks/exhaustive-deps
  if (!doc) return null;
  const run = async (given?: JsonValue, form?: string) => {
    if (running.current) return;
    let parsed: unknown = given;
    const useCase = given === undefined && caseId;
    if (!useCase && given === undefined) {
      try {
        parsed = JSON.parse(input);
      } catch (e) {
        setError(`The input is not JSON: ${e}`);
        return;
      }
    }
    // Nothing to save: no wait, so the run starts in this same task.
    const ready = beforeRun();
    if (ready !== true && !(await ready)) return;
    running.current = true;
    const onEvents = frameBatched(onTraces);
    const ask = (r: ApprovalRequest) => {
      onEvents.flush();
      setComment("");
      setAsking(r);
    };
    const workflow = doc.id;
    const lights = (l: StepLights) => {
      onEvents.flush();
      onLights(l);
    };
    const answer = ipc.runPreview({ workflow, case: useCase || undefined, input: parsed as never, form }, { events: onEvents, lights, ask, kept: runKept });
    startRun();
    setDecided({});
    const slowly = setTimeout(() => {
      setSlow(true);
      setLast(null);
      setError("");
    }, SLOW_RUN_MS);
    // Escape stops the run from its start, before the Stop button shows.
    const onKey = (e: KeyboardEvent) => e.key === "Escape" && void ipc.cancelPreview();
    window.addEventListener("keydown", onKey);
    try {
      const { result, wallUs, later } = await answer;
      finishedRuns.current += 1;
      // Drawn now, with the lights the answer has just put on the steps:
      // left to React's own timing it came a frame later (20-30 ms).
      flushSync(() => {
        setError("");
        setLast({ workflow, result, n: finishedRuns.current, wallUs, later });
      });
    } catch (e) {
      setLast(null);
      setError(errorText(e));
    } finally {
      clearTimeout(slowly);
      window.removeEventListener("keydown", onKey);
      onEvents.flush();
      running.current = false;
      setLastInput(parsed ?? null);
      setSlow(false);
    }
  };
  runRef.current = run;
  const finished = shownSteps(listed);
  function cancel() {
    setAsking(null);
    ipc.cancelPreview().catch((e) => setError(errorText(e)));
  }
  return (
    <div className="preview-panel" data-testid="preview-panel">
      <div className="preview-controls">
        <select value={caseId} onChange={(e) => setCaseId(e.target.value)} data-testid="preview-case">
          <option value="">Type an input…</option>
          {doc.tests.map((t) => (
            <option key={t.id} value={t.id}>Test case: {t.name}</option>
          ))}
        </select>
        <button className="primary" onClick={() => void run()} disabled={slow} data-testid="run-preview">
          {slow ? "Running…" : "▶ Run preview"}
        </button>
        {slow && (
          <button onClick={cancel} title="Stop the preview (Escape)" data-testid="cancel-preview">
            ■ Stop
          </button>
        )}
      </div>
      {subRun && (
        <div className="sub-run-banner" data-testid="sub-run-banner">
          <span>
            Run <strong>{subRun.within}</strong>, called from {subRun.caller}
          </span>
          <button className="link" onClick={() => void backToCaller()} data-testid="sub-run-back">
            ← Back to {subRun.caller}
          </button>
        </div>
      )}
      {!caseId && !subRun && <textarea className="input-json" value={input} onChange={(e) => setInput(e.target.value)} spellCheck={false} data-testid="preview-input" />}
      {slow && <div className="progress" role="progressbar" />}
      {error && <div className="problem error" role="alert">{error}</div>}
      <ol className="trace" data-testid="trace">
        {finished.map(([e, i]) =>
          e === null ? (
            <li key={`more-${i}`} className="muted more" data-testid="trace-more">
              … {i} more steps ran here (each lit on the canvas; every failed one is listed)
            </li>
          ) : e.event === "step_finished" ? (
            <li key={i} className={`${e.error ? "error" : "ok"}${e.within ? " nested" : ""}`}>
              <button
                className="link"
                onClick={() => (e.within ? void openSubRun(e.within, e.step) : select([e.step]))}
                data-testid={e.within ? `trace-${e.within}/${e.step}` : `trace-${e.step}`}
                title={e.within ? `Open the workflow ${e.within} ran, with this run on its canvas` : undefined}
              >
                {e.error ? "✗" : "✓"} {e.within ? <span className="muted">{e.within} › </span> : null}
                {e.step} {e.attempt > 1 ? `(attempt ${e.attempt})` : ""}
                {e.error ? ` — ${e.error.message}` : ""}
              </button>
            </li>
          ) : null,
        )}
      </ol>
      {asking && (
        <Modal title={`Approval: ${asking.name}`} onClose={cancel} testId="approval-dialog">
            <h2>{asking.name}</h2>
            <p>{asking.prompt || "Approve?"}</p>
            {asking.approvers.length > 0 && <p className="muted small">Approvers: {asking.approvers.join(", ")}</p>}
            <details><summary>State at this step</summary><pre>{JSON.stringify(asking.state, null, 2)}</pre></details>
            <input aria-label="Comment" placeholder="Comment (optional)" value={comment} onChange={(e) => setComment(e.target.value)} />
            <div className="start-actions">
              <button className="primary" onClick={() => decide("approve")} data-testid="approve">Approve</button>
              <button onClick={() => decide("reject")} data-testid="reject">Reject</button>
              <button className="link" onClick={() => decide(null)}>No decision</button>
              <button className="link" onClick={cancel} data-testid="approval-cancel">Stop the preview</button>
            </div>
        </Modal>
      )}
      {result && !subRun && (
        <div className={`result ${result.status}`} data-testid="preview-result" data-run={last?.n}>
          <strong>{result.status}</strong>
          {result.end_step ? ` at ${result.end_step}` : ""}
          {result.error ? `: ${result.error.message}` : ""}
          {last && (
            <span className="took" title="Real time the app took to prepare and run this preview" data-testid="preview-took" data-wall-us={last.wallUs}>
              {tookText(last.wallUs)}
            </span>
          )}
          {result.output !== null && <pre>{JSON.stringify(result.output, null, 2)}</pre>}
          {!caseId && lastInput !== null && (
            <form className="save-case" onSubmit={(e) => (e.preventDefault(), saveCase())}>
              <input aria-label="Id of the new test case" value={newCase} placeholder="new-test-case-id" onChange={(e) => setNewCase(e.target.value.toLowerCase().replace(/[^a-z0-9-]/g, "-"))} data-testid="new-case-id" />
              <button type="submit" disabled={!newCase} data-testid="save-case">Save as test case</button>
            </form>
          )}
        </div>
      )}
    </div>
  );
}

/** A run's real time as a person reads it: `ran in 8.4 ms`, `ran in 1.2 s`. */
function tookText(us: number): string {
  if (us < 10_000) return `ran in ${(us / 1000).toFixed(1)} ms`;
  if (us < 1_000_000) return `ran in ${Math.round(us / 1000)} ms`;
  return `ran in ${(us / 1_000_000).toFixed(1)} s`;
}

/** How long a run goes before it shows that it runs. */
const SLOW_RUN_MS = 200;

/**
 * Events that arrive within one frame are drawn together: a long run sends
 * thousands, and the canvas redraws once per update. `flush` draws what
 * waits at once (before the result is shown).
 */
function frameBatched(apply: (events: TraceEvent[]) => void) {
  let pending: TraceEvent[] = [];
  let frame = 0;
  const flush = () => {
    if (frame) cancelAnimationFrame(frame);
    frame = 0;
    if (!pending.length) return;
    const events = pending;
    pending = [];
    apply(events);
  };
  const push = (events: TraceEvent[]) => {
    pending.push(...events);
    if (!frame) frame = requestAnimationFrame(flush);
  };
  return Object.assign(push, { flush });
}

/** Finished steps listed at most at each end of a long run. */
const LIST_ENDS = 100;

/**
 * The finished steps the trace list shows, with their place in the run: all
 * of a short run; of a long one (a for_each of thousands), the first and the
 * last hundred and every failure, with `[null, n]` where `n` were left out.
 */
export function shownSteps(trace: TraceEvent[]): [TraceEvent | null, number][] {
  const finished = trace.filter((e) => e.event === "step_finished");
  if (finished.length <= 2 * LIST_ENDS + 20) return finished.map((e, i) => [e, i]);
  const out: [TraceEvent | null, number][] = [];
  let skipped = 0;
  finished.forEach((e, i) => {
    const kept = i < LIST_ENDS || i >= finished.length - LIST_ENDS || (e.event === "step_finished" && e.error);
    if (kept) {
      if (skipped) out.push([null, skipped]);
      skipped = 0;
      out.push([e, i]);
    } else skipped++;
  });
  return out;
}
