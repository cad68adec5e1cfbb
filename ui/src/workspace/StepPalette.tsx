// The workflow designer's tools: one button per step kind (click, or drag
// onto the canvas), in a column on the canvas's edge as in Camunda Modeler,
// so that every kind fits however many there are.
import type { StepKind } from "../ipc";
import { KindIcon } from "../canvas/icons";
import { PALETTE } from "../steps";

export function StepPalette({ disabled, onAdd }: { disabled: boolean; onAdd: (kind: StepKind) => void }) {
  return (
    <div className="step-palette" role="toolbar" aria-orientation="vertical" aria-label="Add a step">
      {PALETTE.map(({ kind, spec }) => (
        <button
          key={kind}
          draggable
          disabled={disabled}
          onDragStart={(e) => e.dataTransfer.setData("application/x-atelier-step", kind)}
          onClick={() => onAdd(kind)}
          title={`Add ${spec.label} (click or drag onto the canvas)`}
          data-testid={`add-${kind}`}
        >
          <KindIcon kind={kind} size={18} />
          <span className="visually-hidden">{spec.label}</span>
        </button>
      ))}
    </div>
  );
}
