import { describe, expect, it } from "vitest";
import { addStep, connect, deleteSteps, disconnect, pasteSteps } from "./doc";
import { toEdges, autoLayout } from "./canvas/graph";
import type { WorkflowDoc } from "./ipc";

function doc(): WorkflowDoc {
  return {
    id: "w",
    workflow: {
      name: "W",
      start: "a",
      steps: {
        a: { kind: "custom_code", name: "A", next: "b" },
        b: { kind: "condition", name: "B", branches: [{ label: "big", when: "input.n > 1", next: "c" }], otherwise: "d" },
        c: { kind: "approval", name: "C", next_if_approved: "d", next_if_rejected: "d", on_error: { policy: "route", to: "d" } },
        d: { kind: "end", name: "D" },
      },
    },
    layout: { nodes: { a: { x: 0, y: 0 } } },
    scripts: { a: "function run(i) { return i; }" },
    tests: [],
  };
}

describe("workflow edits", () => {
  it("draws every transition as an edge, error routes apart", () => {
    const edges = toEdges(doc());
    expect(edges.map((e) => [e.id, e.label ?? "", e.className ?? ""])).toEqual([
      ["a|next", "", ""],
      ["b|branches/0/next", "big", ""],
      ["b|otherwise", "otherwise", ""],
      ["c|next_if_approved", "approved", ""],
      ["c|next_if_rejected", "rejected", ""],
      ["c|on_error/to", "on error", "edge-error"],
    ]);
  });

  it("adds a step with a fresh id, a position and a script for JS kinds", () => {
    const [d, id] = addStep(doc(), "data_transform", 10.4, 20.6, ["api"]);
    expect(id).toBe("transform-1");
    expect(d.layout.nodes[id]).toEqual({ x: 40, y: 111 }); // moved off step a at (0, 0)
    expect(d.scripts[id]).toContain("function run(input)");
    const [d2, id2] = addStep(d, "data_transform", 10, 20, []);
    expect(id2).toBe("transform-2");
    expect(d2.layout.nodes[id2]).toEqual({ x: 70, y: 200 }); // off a, then off transform-1
    expect(Object.keys(d2.workflow.steps)).toHaveLength(6);
  });

  it("connects exits by kind and disconnects by edge", () => {
    let d = connect(doc(), "b", "branch", "a");
    const b = d.workflow.steps.b;
    expect(b.kind === "condition" && b.branches.map((x) => x.next)).toEqual(["c", "a"]);
    d = connect(d, "c", "rejected", "a");
    expect(d.workflow.steps.c).toMatchObject({ next_if_rejected: "a" });
    d = disconnect(d, "b|branches/0/next");
    const b2 = d.workflow.steps.b;
    expect(b2.kind === "condition" && b2.branches.map((x) => x.next)).toEqual(["a"]);
    d = disconnect(d, "a|next");
    expect("next" in d.workflow.steps.a!).toBe(false);
    expect(connect(d, "a", "next", "a")).toBe(d); // no self loops from a drag
  });

  it("deletes steps with their layout, scripts and the transitions into them", () => {
    const d = deleteSteps(doc(), ["d", "a"]);
    expect(Object.keys(d.workflow.steps)).toEqual(["b", "c"]);
    expect(d.scripts).toEqual({});
    expect(d.layout.nodes).toEqual({});
    expect(d.workflow.steps.b).not.toHaveProperty("otherwise");
    expect(d.workflow.steps.c).not.toHaveProperty("on_error");
  });

  it("pastes copies under fresh ids, keeping links among them", () => {
    const src = doc();
    const [d, ids] = pasteSteps(src, { steps: { a: src.workflow.steps.a!, d: src.workflow.steps.d! }, scripts: { a: "x" }, nodes: { a: { x: 5, y: 5 } } });
    expect(ids).toEqual(["code-1", "end-1"]);
    expect(d.workflow.steps["code-1"]).toMatchObject({ next: "b" });
    expect(d.scripts["code-1"]).toBe("x");
    expect(d.layout.nodes["code-1"]).toEqual({ x: 45, y: 45 });
  });

  it("lays out top to bottom", () => {
    const pos = autoLayout(doc());
    expect(pos.a!.y).toBeLessThan(pos.b!.y);
    expect(pos.b!.y).toBeLessThan(pos.d!.y);
  });
});

describe("an unfinished approval", () => {
  it("starts with no exits (never an empty id), and a disconnected exit is gone, not blank", async () => {
    const { addStep, connect, disconnect } = await import("./doc");
    const doc: WorkflowDoc = { id: "w", workflow: { name: "W", triggers: [], start: "done", steps: { done: { kind: "end", name: "Done" } } }, layout: { nodes: {} }, scripts: {}, tests: [] };
    const [added, id] = addStep(doc, "approval", 0, 0, []);
    const step = added.workflow.steps[id]!;
    expect(step).toEqual({ kind: "approval", name: expect.any(String) });
    const wired = connect(added, id, "approved", "done");
    expect(wired.workflow.steps[id]).toMatchObject({ next_if_approved: "done" });
    const unwired = disconnect(wired, `${id}|next_if_approved`);
    expect("next_if_approved" in unwired.workflow.steps[id]!).toBe(false);
  });
});
