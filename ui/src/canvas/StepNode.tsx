// A step on the canvas: its kind's icon, its name, its exits, and its state
// (problems, preview result) read from the store by id, so the node data stays small.
import { memo, useLayoutEffect, useRef, useSyncExternalStore } from "react";
import { Handle, Position, useStore, type NodeProps } from "@xyflow/react";
import { useEditor, problemCounts } from "../store";
import type { StepNode as StepNodeType } from "./graph";
import { KindIcon } from "./icons";
import { specOf } from "../steps";

const Icon = memo(KindIcon);

/**
 * Below this zoom a step's name, icon, exits and run dot are too small to
 * read: it is drawn as its frame alone, and how it ran is drawn over it by
 * `RunLights`. Lighting a run repaints every step, and a 1,000-step canvas
 * paints that frame about three times faster than the whole node
 * (BENCHMARKS.md, session 12).
 */
export const FAR_ZOOM = 0.35;

const RUN_CLASSES = ["run-running", "run-ok", "run-error"];
const runClass = (status: string | undefined) => (status ? `run-${status}` : "");
const runWords = (status: string | undefined) => (status ? `preview ${status}` : undefined);

/** A step's element on the canvas, lit by the one subscription below. */
type Frame = { id: string; el: HTMLDivElement; far: { current: boolean } };

/**
 * The steps on the canvases. One store subscription lights them all: with
 * one per step (and a selector per step for the problem badge), a store
 * update on a 1,000-step canvas made 2,000 calls, 2-3 ms before a run's
 * steps were lit; about 1 ms now (BENCHMARKS.md, session 15).
 */
const frames = new Set<Frame>();
let watching = false;

function light({ el, far }: Frame, status: string | undefined) {
  // Far out no run class is ever on (the render leaves it off too), and
  // three DOM calls a step that change nothing are 3,000 calls a 1,000-step run.
  if (!far.current) for (const c of RUN_CLASSES) el.classList.toggle(c, c === runClass(status));
  // Read by screen readers; no style rule reads it.
  const words = runWords(status);
  if (words) el.setAttribute("aria-description", words);
  else el.removeAttribute("aria-description");
}

function watchRuns() {
  if (watching) return;
  watching = true;
  useEditor.subscribe((s, before) => {
    if (s.runs === before.runs) return;
    for (const f of frames) {
      const status = s.runs[f.id]?.status;
      if (status !== before.runs[f.id]?.status) light(f, status);
    }
  });
}

/**
 * A step's count of problems, for its badge. The steps are told only when
 * the project's problems or the open workflow change: a selector per step
 * ran on every store update, 1,000 of them for each update of a run.
 */
function useProblemCount(id: string): number {
  return useSyncExternalStore(onProblems, () => {
    const s = useEditor.getState();
    return problemCounts(s.info, s.doc?.id).get(id) ?? 0;
  });
}

const problemWatchers = new Set<() => void>();
let watchingProblems = false;

function onProblems(changed: () => void): () => void {
  if (!watchingProblems) {
    watchingProblems = true;
    useEditor.subscribe((s, before) => {
      if (s.info !== before.info || s.doc?.id !== before.doc?.id) for (const w of problemWatchers) w();
    });
  }
  problemWatchers.add(changed);
  return () => void problemWatchers.delete(changed);
}

function StepNodeView({ id, data, selected }: NodeProps<StepNodeType>) {
  // A run lights every step at once; re-rendering 1,000 steps for it took
  // 20-30 ms, so the light is put on the element directly (zustand's
  // transient updates), and read afresh whenever the step renders for
  // another reason, so a render never takes it off. Zoomed far out the
  // light is drawn by RunLights instead, and the class is left off: toggling
  // it on 1,000 steps cost a style recalculation on every run.
  const frame = useRef<HTMLDivElement>(null);
  const far = useStore((s) => s.transform[2] < FAR_ZOOM);
  const farNow = useRef(far);
  farNow.current = far;
  useLayoutEffect(() => {
    if (!frame.current) return;
    const f: Frame = { id, el: frame.current, far: farNow };
    light(f, useEditor.getState().runs[id]?.status);
    frames.add(f);
    watchRuns();
    return () => void frames.delete(f);
  }, [id]);
  const run = useEditor.getState().runs[id]?.status;
  const problems = useProblemCount(id);
  return (
    <div
      ref={frame}
      className={`step-node kind-${data.kind}${selected ? " selected" : ""}${run && !far ? ` ${runClass(run)}` : ""}${problems ? " has-problems" : ""}${data.diff ? ` diff-${data.diff}` : ""}${far ? " far" : ""}`}
      data-testid={`node-${id}`}
      aria-description={runWords(run)}
      title={far ? `${data.name || id} (${id})` : id}
    >
      {far ? (
        <div className="step-text far" />
      ) : (
        <>
          <Icon kind={data.kind} />
          <div className="step-text">
            <div className="step-name">{data.name || id}</div>
            <div className="step-id">{data.isStart ? "start · " : ""}{id}</div>
          </div>
        </>
      )}
      {data.diff && <span className={`diff-tag diff-${data.diff}`}>{data.diff}</span>}
      {problems > 0 && <span className="badge error" title={`${problems} problem(s)`}>{problems}</span>}
      <Exits kind={data.kind} />
    </div>
  );
}

export const StepNode = memo(StepNodeView);

/**
 * A step's connection points. They depend on its kind only, so lighting a
 * step in a run (which a 1,000-step run does to every step) leaves them be.
 */
const Exits = memo(function Exits({ kind }: { kind: StepNodeType["data"]["kind"] }) {
  const spec = specOf(kind);
  return (
    <>
        <Handle type="target" position={Position.Top} id="in" />
        {spec.canFail && <Handle type="source" position={Position.Right} id="error" className="error-handle" isConnectable={false} title="error route" />}
        {spec.exits.map(({ exit, badge }, i) => (
          <Handle
            key={exit}
            type="source"
            position={Position.Bottom}
            id={exit}
            style={{ left: `${((i + 1) * 100) / (spec.exits.length + 1)}%` }}
            title={exit}
          >
            {badge ? <span className="handle-label">{badge}</span> : null}
          </Handle>
        ))}
    </>
  );
});
