// One small line icon per step kind.
import type { StepKind } from "../ipc";

const PATHS: Record<StepKind, string> = {
  api_call: "M4 12h4l2-5 4 10 2-5h4", // a pulse: a call out
  data_transform: "M5 7h10l-3-3M19 17H9l3 3", // arrows: reshape
  condition: "M12 3l8 9-8 9-8-9z", // a diamond
  approval: "M5 12l4 4 10-10", // a check mark
  custom_code: "M9 7l-5 5 5 5M15 7l5 5-5 5", // angle brackets
  end: "M6 6h12v12H6z", // a stop square
};

export function KindIcon({ kind, size = 18 }: { kind: StepKind; size?: number }) {
  return (
    <svg className={`kind-icon kind-${kind}`} width={size} height={size} viewBox="0 0 24 24" aria-hidden="true">
      <path d={PATHS[kind]} fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  );
}

/** A shield: what a project may do on this computer. */
export function ShieldIcon({ size = 15 }: { size?: number }) {
  return (
    <svg className="ui-icon" width={size} height={size} viewBox="0 0 24 24" aria-hidden="true">
      <path d="M12 3l8 3v6c0 4.5-3.4 8.2-8 9-4.6-.8-8-4.5-8-9V6z" fill="none" stroke="currentColor" strokeWidth="2" strokeLinejoin="round" />
    </svg>
  );
}
