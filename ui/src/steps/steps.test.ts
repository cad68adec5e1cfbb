import { describe, expect, it } from "vitest";
import type { Step, StepKind } from "../ipc";
import { PALETTE, STEP_KINDS, retarget, specOf, transitions } from ".";
import fixture from "./transitions.fixture.json";
import { callOf, pathMatches } from "./apiCall";

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

describe("api_call operations from an OpenAPI description", () => {
  const op = {
    method: "GET" as const,
    path: "/rates/{currency}",
    parameters: [
      { name: "currency", in: "path" as const, required: true },
      { name: "base", in: "query" as const, required: true },
      { name: "symbols", in: "query" as const },
      { name: "X-Request-Id", in: "header" as const, required: true },
    ],
  };
  it("matches a call's path as the validator does", () => {
    expect(pathMatches("/rates/{currency}", "/rates/{{input.c}}?base=x")).toBe(true);
    expect(pathMatches("/rates/{currency}", "/rates/EUR")).toBe(true);
    expect(pathMatches("/rates/{currency}", "/rates")).toBe(false);
    expect(pathMatches("/latest", "/lates")).toBe(false);
  });
  it("fills the method, path, required query parameters and headers when an operation is picked", () => {
    const step = { kind: "api_call" as const, name: "Rates", source: "fx", method: "POST" as const, path: "/old", headers: { Accept: "application/json" } };
    const call = callOf(step, op);
    expect(call.method).toBe("GET");
    expect(call.path).toBe("/rates/{{input.currency}}?base={{input.base}}");
    expect(call.headers).toEqual({ Accept: "application/json", "X-Request-Id": "{{input.X-Request-Id}}" });
    expect(callOf(step, { method: "POST", path: "/alerts", body: "required" }).body).toEqual({});
  });
});
