import { describe, expect, it } from "vitest";
import type { Problem } from "../ipc";
import { jumpOf } from "./Problems";

const p = (file: string, element?: string): Problem => ({ file, element, code: "missing-field", severity: "error", message: "x" }) as Problem;

describe("a problem opens where it is", () => {
  it("in the workflow, model, form or source designer, selecting the element", () => {
    expect(jumpOf(p("workflows/w/workflow.json", "/steps/ask/next"))).toEqual({ kind: "workflow", id: "w", select: "ask" });
    expect(jumpOf(p("models/expense.json", "/entities/claim/fields/amount"))).toEqual({ kind: "model", id: "expense", select: "entity:claim" });
    expect(jumpOf(p("models/expense.layout.json"))).toEqual({ kind: "model", id: "expense", select: null });
    expect(jumpOf(p("forms/claim/form.json", "/components/amount/kind"))).toEqual({ kind: "form", id: "claim", select: "amount" });
    expect(jumpOf(p("sources/fx-rates.json", "/auth/secret"))).toEqual({ kind: "source", id: "fx-rates", select: null });
    expect(jumpOf(p("atelier.json"))).toBeNull();
  });
});
