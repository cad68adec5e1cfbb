// An HTTP call to one of the project's sources.
import type { HttpMethod } from "../ipc";
import { Field, NextField } from "../inspector/controls";
import { oneExit, type FieldsProps, type StepSpec } from "./spec";

function ApiCallFields({ id, step, put, others, sources }: FieldsProps<"api_call">) {
  const choices = [step.source, ...sources].filter((v, i, a) => a.indexOf(v) === i);
  return (
    <>
      <Field label="Source">
        <select value={step.source} onChange={(e) => put({ ...step, source: e.target.value })}>
          {choices.map((s) => (
            <option key={s} value={s}>{s}</option>
          ))}
        </select>
      </Field>
      <Field label="Method">
        <select value={step.method} onChange={(e) => put({ ...step, method: e.target.value as HttpMethod })}>
          {["GET", "POST", "PUT", "PATCH", "DELETE"].map((m) => (
            <option key={m}>{m}</option>
          ))}
        </select>
      </Field>
      <Field label="Path">
        <input value={step.path} onChange={(e) => put({ ...step, path: e.target.value }, `path:${id}`)} />
      </Field>
      <Field label="Save response as">
        <input aria-label="Save the answer as" value={step.save_as ?? ""} placeholder={id} onChange={(e) => put({ ...step, save_as: e.target.value || null }, `save:${id}`)} />
      </Field>
      <NextField step={step} others={others} put={put} />
    </>
  );
}

export const apiCall: StepSpec<"api_call"> = {
  label: "API call",
  icon: "M4 12h4l2-5 4 10 2-5h4", // a pulse: a call out
  color: "#0b7cc1",
  idBase: "call",
  script: false,
  canFail: true,
  make: (name, sources) => ({ kind: "api_call", name, source: sources[0] ?? "source", method: "GET", path: "/" }),
  ...oneExit<"api_call">(),
  Fields: ApiCallFields,
};
