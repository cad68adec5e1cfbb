// Steps that run the JavaScript in `steps/<id>.js`: a transform reshapes the
// state, custom code does anything else. The inspector adds the code editor.
import type { Step } from "../ipc/types";
import { NextField } from "../inspector/controls";
import { oneExit, type FieldsProps, type StepSpec } from "./spec";

function ScriptFields<K extends "data_transform" | "custom_code">({ step, put, others }: FieldsProps<K>) {
  // TypeScript cannot narrow `StepOf<K>` for a generic K; both kinds are a CodeStep.
  const unfinished = (step as { unfinished?: string | null }).unfinished;
  return (
    <>
      {unfinished && (
        // An import could not translate this node: say what is left, and let
        // the person clear the mark once the code does it.
        <div className="unfinished" role="note" data-testid="unfinished">
          <strong>To finish</strong>
          <span>{unfinished}</span>
          <button type="button" onClick={() => put({ ...step, unfinished: undefined } as Step)} data-testid="mark-finished">
            Mark finished
          </button>
        </div>
      )}
      <NextField step={step} others={others} put={put} />
    </>
  );
}

export const transform: StepSpec<"data_transform"> = {
  label: "Transform",
  icon: "M5 7h10l-3-3M19 17H9l3 3", // arrows: reshape
  color: "#7c3aed",
  idBase: "transform",
  script: true,
  canFail: true,
  make: (name) => ({ kind: "data_transform", name }),
  ...oneExit<"data_transform">(),
  Fields: ScriptFields,
};

export const customCode: StepSpec<"custom_code"> = {
  label: "Code",
  icon: "M9 7l-5 5 5 5M15 7l5 5-5 5", // angle brackets
  color: "#475569",
  idBase: "code",
  script: true,
  canFail: true,
  make: (name) => ({ kind: "custom_code", name }),
  ...oneExit<"custom_code">(),
  Fields: ScriptFields,
};

/** What a new script step's file holds. */
export const SCRIPT_TEMPLATE = "// `input` is the run's state; return the new state.\nfunction run(input) {\n  return { ...input };\n}\n";
