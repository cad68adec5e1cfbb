// A step on the canvas: its kind's icon, its name, its exits, and its state
// (problems, preview result) read from the store by id, so the node data stays small.
import { memo } from "react";
import { Handle, Position, type NodeProps } from "@xyflow/react";
import { exitsOf } from "../doc";
import { useEditor, problemsOf, stepOfProblem } from "../store";
import type { StepNode as StepNodeType } from "./graph";
import { KindIcon } from "./icons";

const EXIT_LABEL: Record<string, string> = { branch: "if", otherwise: "else", approved: "yes", rejected: "no", next: "" };

function StepNodeView({ id, data, selected }: NodeProps<StepNodeType>) {
  const run = useEditor((s) => s.runs[id]?.status);
  const problems = useEditor((s) => problemsOf(s.info, s.doc?.id).filter((p) => stepOfProblem(p) === id).length);
  const exits = exitsOf(data.kind);
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
      {data.kind !== "end" && <Handle type="source" position={Position.Right} id="error" className="error-handle" isConnectable={false} title="error route" />}
      {exits.map((exit, i) => (
        <Handle
          key={exit}
          type="source"
          position={Position.Bottom}
          id={exit}
          style={{ left: `${((i + 1) * 100) / (exits.length + 1)}%` }}
          title={exit}
        >
          {EXIT_LABEL[exit] ? <span className="handle-label">{EXIT_LABEL[exit]}</span> : null}
        </Handle>
      ))}
    </div>
  );
}

export const StepNode = memo(StepNodeView);
