// One line icon per component kind, drawn from its spec.
import type { ComponentKind } from "../ipc";
import { COMPONENT_KINDS } from "./components";

export function ComponentIcon({ kind, size = 15 }: { kind: ComponentKind; size?: number }) {
  const spec = COMPONENT_KINDS[kind];
  return (
    <svg className="kind-icon" style={{ color: spec.color }} width={size} height={size} viewBox="0 0 24 24" aria-hidden="true">
      <path d={spec.icon} fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  );
}
