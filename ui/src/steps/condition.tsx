// Branches tried in order, each a JavaScript expression; `otherwise` when none holds.
import type { Branch } from "../ipc";
import { Field, StepSelect } from "../inspector/controls";
import type { FieldsProps, StepSpec, Transition } from "./spec";

function ConditionFields({ id, step, put, others }: FieldsProps<"condition">) {
  const setBranch = (i: number, b: Partial<Branch>, group?: string) => put({ ...step, branches: step.branches.map((x, j) => (j === i ? { ...x, ...b } : x)) }, group);
  return (
    <>
      {step.branches.map((b, i) => (
        <div className="branch" key={i}>
          <Field label={`Branch ${i + 1}: when`}>
            <input value={b.when} onChange={(e) => setBranch(i, { when: e.target.value }, `when:${id}:${i}`)} />
          </Field>
          <Field label="then go to">
            <StepSelect value={b.next ?? ""} steps={others} onChange={(v) => setBranch(i, { next: v || null })} />
          </Field>
        </div>
      ))}
      <Field label="Otherwise">
        <StepSelect allowNone value={step.otherwise ?? ""} steps={others} onChange={(v) => put({ ...step, otherwise: v || null })} />
      </Field>
    </>
  );
}

export const condition: StepSpec<"condition"> = {
  label: "Condition",
  icon: "M12 3l8 9-8 9-8-9z", // a diamond
  color: "#d97706",
  idBase: "check",
  script: false,
  canFail: true,
  exits: [
    { exit: "branch", badge: "if" },
    { exit: "otherwise", badge: "else" },
  ],
  make: (name) => ({ kind: "condition", name, branches: [] }),
  transitions: (s) => {
    const out: Transition[] = s.branches.flatMap((b, i) => (b.next ? [{ property: `branches/${i}/next`, label: b.label || b.when, target: b.next, handle: "branch" as const, error: false }] : []));
    if (s.otherwise) out.push({ property: "otherwise", label: "otherwise", target: s.otherwise, handle: "otherwise", error: false });
    return out;
  },
  // A branch whose target goes is dropped whole: a branch exists to lead somewhere.
  retarget: (s, f) => {
    const branches = s.branches.flatMap((b, i) => {
      if (!b.next) return [b];
      const next = f(b.next, `branches/${i}/next`);
      return next ? [{ ...b, next }] : [];
    });
    const t = { ...s, branches };
    if (s.otherwise) {
      const otherwise = f(s.otherwise, "otherwise");
      if (otherwise) t.otherwise = otherwise;
      else delete t.otherwise;
    }
    return t;
  },
  connect: (s, exit, target) => (exit === "otherwise" ? { ...s, otherwise: target } : { ...s, branches: [...s.branches, { label: "", when: "true", next: target }] }),
  Fields: ConditionFields,
};
