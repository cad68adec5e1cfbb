// The workflow designer's tools: one button per step kind (click, or drag
// onto the canvas).
import type { StepKind } from "../ipc";
import { KindIcon } from "../canvas/icons";
import { PALETTE } from "../steps";

export function StepPalette({ disabled, onAdd }: { disabled: boolean; onAdd: (kind: StepKind) => void }) {
  return (
    <div className="palette-group" aria-label="Add a step">
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
          <KindIcon kind={kind} size={16} /> <span className="label">{spec.label}</span>
        </button>
      ))}
    </div>
  );
}
