// The inspector's building blocks, shared by every kind's fields.
import type { ReactNode } from "react";

export function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <label className="field">
      <span>{label}</span>
      {children}
    </label>
  );
}

/** A choice of step to go to; `allowNone` offers "none" for optional exits. */
export function StepSelect({ value, onChange, steps, allowNone }: { value: string; onChange: (v: string) => void; steps: string[]; allowNone?: boolean }) {
  return (
    <select value={value} onChange={(e) => onChange(e.target.value)}>
      {(allowNone || !value) && <option value="">{allowNone ? "— none —" : "— choose —"}</option>}
      {steps.map((s) => (
        <option key={s} value={s}>{s}</option>
      ))}
    </select>
  );
}

/** The "Next step" choice of a kind with one exit. */
export function NextField<S extends { next?: string | null }>({ step, others, put }: { step: S; others: string[]; put: (s: S) => void }) {
  return (
    <Field label="Next step">
      <StepSelect allowNone value={step.next ?? ""} steps={others} onChange={(v) => put({ ...step, next: v || null })} />
    </Field>
  );
}
