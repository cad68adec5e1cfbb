// What a step kind declares about itself. One spec per kind lives beside this
// file; `index.ts` gathers them. Transitions are described once here, by each
// kind, and everything else (edges, delete, paste, compare) derives from them.
import type { ComponentType } from "react";
import type { Step, StepKind } from "../ipc";
import type { KindLook } from "../registry";

export type StepOf<K extends StepKind> = Extract<Step, { kind: K }>;

/** Which exit of a step a connection starts from (a handle on the node). */
export type Exit = "next" | "branch" | "otherwise" | "approved" | "rejected";

/** One transition out of a step, as the file holds it. */
export type Transition = {
  /** The JSON path of the property holding the target: `branches/0/next`. */
  property: string;
  /** The edge's label on the canvas; empty for a plain `next`. */
  label: string;
  target: string;
  handle: Exit | "error";
  error: boolean;
};

/** A new target for each transition (by its property path); `null` removes it. */
export type Retarget = (target: string, property: string) => string | null;

export type FieldsProps<K extends StepKind> = {
  id: string;
  step: StepOf<K>;
  /** Saves the edited step as one undoable edit; edits in one `group` merge. */
  put: (step: Step, group?: string) => void;
  /** The ids of every other step, for "go to" choices. */
  others: string[];
  /** The project's source ids. */
  sources: string[];
};

export interface StepSpec<K extends StepKind> extends KindLook {
  /** New steps are named `<idBase>-1`, `<idBase>-2`… */
  idBase: string;
  /** True when the step runs JavaScript from `steps/<id>.js`. */
  script: boolean;
  /** True when the step can fail and so has an error route (`on_error`). */
  canFail: boolean;
  /** Its exits, left to right, with the word shown on the handle. */
  exits: { exit: Exit; badge: string }[];
  /** A new step of this kind. Exits start unconnected: the design saves and its problems say so. */
  make(name: string, sources: string[]): StepOf<K>;
  /** Its transitions, error routes aside. */
  transitions(step: StepOf<K>): Transition[];
  /** The step with every transition (error routes aside) passed through `f`. */
  retarget(step: StepOf<K>, f: Retarget): StepOf<K>;
  /** The step with `exit` connected to `target`. */
  connect(step: StepOf<K>, exit: Exit, target: string): StepOf<K>;
  /** The kind's own fields in the inspector. */
  Fields: ComponentType<FieldsProps<K>>;
}

/** The parts of a spec for a kind with one `next` exit. */
export function oneExit<K extends "api_call" | "data_transform" | "custom_code" | "for_each" | "join" | "sub_workflow" | "wait">(): Pick<StepSpec<K>, "exits" | "transitions" | "retarget" | "connect"> {
  // TypeScript cannot narrow `StepOf<K>` for a generic K; every such kind has `next`.
  type S = { next?: string | null };
  const parts = {
    exits: [{ exit: "next", badge: "" }],
    transitions: (s: S): Transition[] => (s.next ? [{ property: "next", label: "", target: s.next, handle: "next", error: false }] : []),
    retarget: (s: S, f: Retarget): S => {
      if (!s.next) return s;
      const next = f(s.next, "next");
      const t = { ...s };
      if (next) t.next = next;
      else delete t.next;
      return t;
    },
    connect: (s: S, _exit: Exit, target: string): S => ({ ...s, next: target }),
  };
  return parts as unknown as Pick<StepSpec<K>, "exits" | "transitions" | "retarget" | "connect">;
}
