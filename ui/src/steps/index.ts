// The step kinds: one spec each, gathered here. A new kind is a file beside
// this one and a line below; TypeScript refuses a kind that is left out.
import type { ErrorPolicy, Step, StepKind } from "../ipc";
import { entries, type Registry } from "../registry";
import { apiCall } from "./apiCall";
import { approval } from "./approval";
import { condition } from "./condition";
import { end } from "./end";
import { customCode, transform } from "./script";
import { forEach, join, parallel, subWorkflow, wait } from "./control";
import type { Retarget, StepSpec, Transition } from "./spec";

export type { Exit, FieldsProps, Retarget, StepSpec, Transition } from "./spec";
export { SCRIPT_TEMPLATE } from "./script";

type StepKinds = Registry<StepKind, StepSpec<StepKind>> & { readonly [K in StepKind]: StepSpec<K> };

export const STEP_KINDS: StepKinds = {
  api_call: apiCall,
  data_transform: transform,
  condition,
  approval,
  custom_code: customCode,
  end,
  for_each: forEach,
  parallel,
  join,
  sub_workflow: subWorkflow,
  wait,
} as StepKinds;

/** The palette's order. */
export const PALETTE = entries<StepKind, StepSpec<StepKind>>(STEP_KINDS, [
  "api_call",
  "data_transform",
  "condition",
  "approval",
  "custom_code",
  "for_each",
  "parallel",
  "join",
  "sub_workflow",
  "wait",
  "end",
]);

/** The spec of a step's kind, typed for any step. */
export function specOf(kind: StepKind): StepSpec<StepKind> {
  return STEP_KINDS[kind];
}

/** Every transition out of a step: its kind's exits, then its error routes. */
export function transitions(step: Step): Transition[] {
  const out = specOf(step.kind).transitions(step);
  if ("on_error" in step && step.on_error) {
    const p = step.on_error;
    if (p.policy === "route") out.push({ property: "on_error/to", label: "on error", target: p.to, handle: "error", error: true });
    if (p.policy === "retry" && p.then?.policy === "route") out.push({ property: "on_error/then/to", label: "after retries", target: p.then.to, handle: "error", error: true });
  }
  return out;
}

/** A route that loses its target falls back to the engine's default: fail. */
function retargetPolicy(p: ErrorPolicy, f: Retarget, at: string): ErrorPolicy | null {
  if (p.policy === "route") {
    const to = f(p.to, `${at}/to`);
    return to ? { ...p, to } : null;
  }
  if (p.policy === "retry" && p.then) {
    const then = retargetPolicy(p.then, f, `${at}/then`);
    const t = { ...p };
    if (then) t.then = then;
    else delete t.then;
    return t;
  }
  return p;
}

/** The step with every transition, error routes included, passed through `f`; `null` removes one. */
export function retarget(step: Step, f: Retarget): Step {
  const t = { ...specOf(step.kind).retarget(step, f) } as Step;
  if ("on_error" in t && t.on_error) {
    const p = retargetPolicy(t.on_error, f, "on_error");
    if (p) t.on_error = p;
    else delete t.on_error;
  }
  return t;
}
