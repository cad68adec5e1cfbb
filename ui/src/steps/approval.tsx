// A person approves or rejects; the run waits for the answer.
import { Field, StepSelect } from "../inspector/controls";
import type { FieldsProps, StepSpec } from "./spec";

function ApprovalFields({ id, step, put, others }: FieldsProps<"approval">) {
  return (
    <>
      <Field label="Question">
        <input value={step.prompt ?? ""} onChange={(e) => put({ ...step, prompt: e.target.value }, `prompt:${id}`)} />
      </Field>
      <Field label="Approvers (comma separated)">
        <input
          value={(step.approvers ?? []).join(", ")}
          onChange={(e) => put({ ...step, approvers: e.target.value.split(",").map((s) => s.trim()).filter(Boolean) }, `approvers:${id}`)}
        />
      </Field>
      <Field label="If approved, go to">
        <StepSelect value={step.next_if_approved ?? ""} steps={others} onChange={(v) => put({ ...step, next_if_approved: v || null })} />
      </Field>
      <Field label="If rejected, go to">
        <StepSelect value={step.next_if_rejected ?? ""} steps={others} onChange={(v) => put({ ...step, next_if_rejected: v || null })} />
      </Field>
    </>
  );
}

const EXITS = [
  { exit: "approved", property: "next_if_approved", label: "approved" },
  { exit: "rejected", property: "next_if_rejected", label: "rejected" },
] as const;

export const approval: StepSpec<"approval"> = {
  label: "Approval",
  icon: "M5 12l4 4 10-10", // a check mark
  color: "#15803d",
  idBase: "approval",
  script: false,
  canFail: true,
  exits: [
    { exit: "approved", badge: "yes" },
    { exit: "rejected", badge: "no" },
  ],
  make: (name) => ({ kind: "approval", name }),
  transitions: (s) => EXITS.flatMap(({ exit, property, label }) => (s[property] ? [{ property, label, target: s[property]!, handle: exit, error: false }] : [])),
  retarget: (s, f) => {
    const t = { ...s };
    for (const { property } of EXITS) {
      if (!s[property]) continue;
      const target = f(s[property]!, property);
      if (target) t[property] = target;
      else delete t[property];
    }
    return t;
  },
  connect: (s, exit, target) => (exit === "rejected" ? { ...s, next_if_rejected: target } : { ...s, next_if_approved: target }),
  Fields: ApprovalFields,
};
