import { describe, expect, it } from "vitest";
import type { Step, StepKind } from "../ipc";
import { PALETTE, STEP_KINDS, retarget, specOf, transitions } from ".";
import fixture from "./transitions.fixture.json";

const steps = fixture.workflow.steps as unknown as Record<string, Step>;

describe("the step-kind registry", () => {
  it("finds the transitions the Rust model finds, for every kind", () => {
    const kinds = new Set(Object.values(steps).map((s) => s.kind));
    expect([...kinds].sort()).toEqual(Object.keys(STEP_KINDS).sort()); // the fixture covers every kind
    for (const [id, step] of Object.entries(steps)) {
      const ours = transitions(step).map((t) => ({ property: t.property, target: t.target, error: t.error }));
      expect(ours, id).toEqual(fixture.transitions[id as keyof typeof fixture.transitions]);
    }
  });

  it("retargets every transition it lists, and removes them all", () => {
    for (const [id, step] of Object.entries(steps)) {
      const moved = retarget(step, (t) => `${t}-2`);
      expect(transitions(moved).map((t) => t.target), id).toEqual(transitions(step).map((t) => `${t.target}-2`));
      expect(transitions(retarget(step, () => null)), id).toEqual([]);
      expect(step, "the original is left alone").toEqual((fixture.workflow.steps as Record<string, unknown>)[id]);
    }
  });

  it("connects each exit a kind declares to a transition from that handle", () => {
    for (const { kind, spec } of PALETTE) {
      const made = spec.make(spec.label, ["api"]);
      expect(made.kind).toBe(kind);
      expect(transitions(made), `a new ${kind} starts unconnected`).toEqual([]);
      for (const { exit } of spec.exits) {
        const joined = spec.connect(made, exit, "there");
        expect(transitions(joined).map((t) => [t.handle, t.target]), `${kind} ${exit}`).toEqual([[exit, "there"]]);
      }
    }
  });

  it("gives each kind a distinct look and id base", () => {
    const kinds = Object.keys(STEP_KINDS) as StepKind[];
    for (const key of ["label", "color", "icon", "idBase"] as const) {
      expect(new Set(kinds.map((k) => specOf(k)[key])).size, key).toBe(kinds.length);
    }
    expect(PALETTE.map((p) => p.kind).sort()).toEqual([...kinds].sort());
  });
});
