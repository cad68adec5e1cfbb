// A step on the canvas: its kind's icon, its name, its exits, and its state
// (problems, preview result) read from the store by id, so the node data stays small.
import { memo } from "react";
import { Handle, Position, type NodeProps } from "@xyflow/react";
import { useEditor, problemsOf, stepOfProblem } from "../store";
import type { StepNode as StepNodeType } from "./graph";
import { KindIcon } from "./icons";
import { specOf } from "../steps";

function StepNodeView({ id, data, selected }: NodeProps<StepNodeType>) {
  const run = useEditor((s) => s.runs[id]?.status);
  const problems = useEditor((s) => problemsOf(s.info, s.doc?.id).filter((p) => stepOfProblem(p) === id).length);
  const spec = specOf(data.kind);
  return (
    <div
      className={`step-node kind-${data.kind}${selected ? " selected" : ""}${run ? ` run-${run}` : ""}${problems ? " has-problems" : ""}${data.diff ? ` diff-${data.diff}` : ""}`}
      data-testid={`node-${id}`}
      title={id}
    >
      <Handle type="target" position={Position.Top} id="in" />
      <KindIcon kind={data.kind} />
      <div className="step-text">
        <div className="step-name">{data.name || id}</div>
        <div className="step-id">{data.isStart ? "start · " : ""}{id}</div>
      </div>
      {data.diff && <span className={`diff-tag diff-${data.diff}`}>{data.diff}</span>}
      {problems > 0 && <span className="badge error" title={`${problems} problem(s)`}>{problems}</span>}
      {run && <span className={`run-dot ${run}`} aria-label={`preview ${run}`} />}
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
    </div>
  );
}

export const StepNode = memo(StepNodeView);
