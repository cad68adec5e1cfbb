// The run ends here, with a status.
import type { EndStatus } from "../ipc";
import { Field } from "../inspector/controls";
import type { FieldsProps, StepSpec } from "./spec";

function EndFields({ step, put }: FieldsProps<"end">) {
  return (
    <Field label="Status">
      <select value={step.status ?? "completed"} onChange={(e) => put({ ...step, status: e.target.value as EndStatus })}>
        <option>completed</option>
        <option>rejected</option>
        <option>failed</option>
      </select>
    </Field>
  );
}

export const end: StepSpec<"end"> = {
  label: "End",
  icon: "M6 6h12v12H6z", // a stop square
  color: "#be123c",
  idBase: "end",
  script: false,
  canFail: false,
  exits: [],
  make: (name) => ({ kind: "end", name }),
  transitions: () => [],
  retarget: (s) => s,
  connect: (s) => s,
  Fields: EndFields,
};
