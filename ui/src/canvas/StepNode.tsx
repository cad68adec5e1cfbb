// A step on the canvas: its kind's icon, its name, its exits, and its state
// (problems, preview result) read from the store by id, so the node data stays small.
import { memo, useLayoutEffect, useRef } from "react";
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
    const light = (status: string | undefined) => {
      const el = frame.current;
      if (!el) return;
      // Far out no run class is ever on (the render leaves it off too), and
      // three DOM calls a step that change nothing are 3,000 calls a 1,000-step run.
      if (!farNow.current) for (const c of RUN_CLASSES) el.classList.toggle(c, c === runClass(status));
      // Read by screen readers; no style rule reads it.
      const words = runWords(status);
      if (words) el.setAttribute("aria-description", words);
      else el.removeAttribute("aria-description");
    };
    light(useEditor.getState().runs[id]?.status);
    return useEditor.subscribe((s, before) => {
      if (s.runs[id]?.status !== before.runs[id]?.status) light(s.runs[id]?.status);
    });
  }, [id]);
  const run = useEditor.getState().runs[id]?.status;
  const problems = useEditor((s) => problemCounts(s.info, s.doc?.id).get(id) ?? 0);
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
