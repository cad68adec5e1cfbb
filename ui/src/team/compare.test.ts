import { describe, expect, it } from "vitest";
import type { Change, CompareView, WorkflowDoc } from "../ipc";
import { compareGraph, describe as describeChange } from "./compare";

const doc = (steps: Record<string, unknown>, nodes: Record<string, { x: number; y: number }>): WorkflowDoc =>
  ({ id: "wf", workflow: { name: "WF", start: "a", steps }, layout: { nodes }, scripts: {}, tests: [] }) as unknown as WorkflowDoc;
const change = (c: Partial<Change>): Change => ({ artifact: { kind: "workflow", id: "wf" }, kind: "changed", layout: false, ...c }) as Change;

describe("compareGraph", () => {
  const before = doc(
    { a: { kind: "condition", name: "A", branches: [{ when: "x", next: "b" }], otherwise: "gone" }, b: { kind: "end", name: "B" }, gone: { kind: "end", name: "Gone" } },
    { a: { x: 0, y: 0 }, b: { x: 0, y: 100 }, gone: { x: 200, y: 100 } },
  );
  const after = doc(
    { a: { kind: "condition", name: "A2", branches: [{ when: "x", next: "b" }], otherwise: "new" }, b: { kind: "end", name: "B" }, new: { kind: "end", name: "New" } },
    { a: { x: 0, y: 0 }, b: { x: 50, y: 100 }, new: { x: 300, y: 100 } },
  );
  const view: CompareView = {
    from: "HEAD",
    to: "the working tree",
    before,
    after,
    changes: [
      change({ element: { kind: "step", id: "a" }, property: "name", before: "A", after: "A2" }),
      change({ element: { kind: "step", id: "a" }, property: "otherwise", before: "gone", after: "new" }),
      change({ element: { kind: "step", id: "gone" }, kind: "removed" }),
      change({ element: { kind: "step", id: "new" }, kind: "added" }),
      change({ element: { kind: "step_position", id: "b" }, layout: true }),
    ],
  };

  it("draws both versions once, each step marked", () => {
    const g = compareGraph(view);
    expect(Object.keys(g.doc.workflow.steps).sort()).toEqual(["a", "b", "gone", "new"]);
    expect(g.status).toEqual({ a: "changed", gone: "removed", new: "added", b: "moved" });
    expect(g.doc.layout.nodes.gone).toEqual({ x: 200, y: 100 });
    expect(g.removedEdges).toEqual([{ id: "removed|a>gone", source: "a", target: "gone" }]);
  });

  it("marks every step of a workflow that is new", () => {
    const g = compareGraph({ ...view, before: null, changes: [] });
    expect(Object.values(g.status)).toEqual(["added", "added", "added"]);
  });

  it("says a change in the design's words", () => {
    expect(describeChange(view.changes[0]!)).toBe('step a: name: A → A2');
    expect(describeChange(view.changes[3]!)).toBe("step new added");
    expect(describeChange(change({ element: { kind: "step_code", id: "a" }, text_diff: "@@" }))).toBe("code of step a changed");
    expect(describeChange(change({ element: { kind: "test_case", id: "t" }, kind: "removed" }))).toBe("test case t removed");
  });
});
