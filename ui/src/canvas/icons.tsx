// Small line icons: one per step kind (drawn from its spec), and the UI's own.
import type { StepKind } from "../ipc";
import { specOf } from "../steps";

export function KindIcon({ kind, size = 18 }: { kind: StepKind; size?: number }) {
  const spec = specOf(kind);
  return (
    <svg className="kind-icon" style={{ color: spec.color }} width={size} height={size} viewBox="0 0 24 24" aria-hidden="true">
      <path d={spec.icon} fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round" />
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
