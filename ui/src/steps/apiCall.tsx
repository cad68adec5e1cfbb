// An HTTP call to one of the project's sources. A source imported from an
// OpenAPI description lists its operations: picking one fills the method,
// the path (parameters as `{{input.x}}` placeholders), required headers and body.
import { useEffect, useState } from "react";
import { ipc, type HttpMethod, type Operation, type Source, type Step } from "../ipc";
import { Field, NextField } from "../inspector/controls";
import { oneExit, type FieldsProps, type StepSpec } from "./spec";
import { HTTP_METHODS } from "../sources/sourceDoc";

/** `/rates/{currency}` matches `/rates/{{input.currency}}?x=1` (as the validator matches). */
export function pathMatches(template: string, call: string): boolean {
  const t = template.replace(/^\/+|\/+$/g, "").split("/");
  const c = (call.split(/[?#]/)[0] ?? "").replace(/^\/+|\/+$/g, "").split("/");
  return t.length === c.length && t.every((seg, i) => (seg.startsWith("{") && seg.endsWith("}") && c[i] !== "") || seg === c[i] || (c[i]!.includes("{{") && seg !== ""));
}

/** The step as a call of operation `op`: its method, path, required query parameters, headers and body. */
export function callOf(step: Extract<Step, { kind: "api_call" }>, op: Operation): Extract<Step, { kind: "api_call" }> {
  const params = op.parameters ?? [];
  const path = op.path.replace(/\{([^}]+)\}/g, "{{input.$1}}");
  const query = params.filter((p) => p.in === "query" && p.required).map((p) => `${p.name}={{input.${p.name}}}`);
  const headers = { ...(step.headers ?? {}) };
  for (const p of params.filter((p) => p.in === "header" && p.required)) headers[p.name] ??= `{{input.${p.name}}}`;
  const body = op.body === "required" && step.body == null ? {} : step.body;
  return { ...step, method: op.method, path: query.length ? `${path}?${query.join("&")}` : path, headers, body };
}

function ApiCallFields({ id, step, put, others, sources }: FieldsProps<"api_call">) {
  const choices = [step.source, ...sources].filter((v, i, a) => a.indexOf(v) === i);
  const [source, setSource] = useState<Source | null>(null);
  useEffect(() => {
    let live = true;
    ipc.loadSource(step.source).then((s) => live && setSource(s), () => live && setSource(null));
    return () => {
      live = false;
    };
  }, [step.source]);
  const operations = Object.entries(source?.operations ?? {});
  const current = operations.find(([, op]) => op.method === step.method && pathMatches(op.path, step.path))?.[0] ?? "";
  return (
    <>
      <Field label="Source">
        <select value={step.source} onChange={(e) => put({ ...step, source: e.target.value })}>
          {choices.map((s) => (
            <option key={s} value={s}>{s}</option>
          ))}
        </select>
      </Field>
      {operations.length > 0 && (
        <Field label="Operation">
          <select
            value={current}
            onChange={(e) => {
              const op = source?.operations?.[e.target.value];
              if (op) put(callOf(step, op));
            }}
            data-testid="api-operation"
          >
            {!current && <option value="">Not one of its operations</option>}
            {operations.map(([oid, op]) => (
              <option key={oid} value={oid}>
                {op.method} {op.path}
                {op.summary ? ` · ${op.summary}` : ""}
              </option>
            ))}
          </select>
        </Field>
      )}
      <Field label="Method">
        <select value={step.method} onChange={(e) => put({ ...step, method: e.target.value as HttpMethod })}>
          {HTTP_METHODS.map((m) => (
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
