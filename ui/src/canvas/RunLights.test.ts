import { describe, expect, it } from "vitest";
import type { ReactFlowState } from "@xyflow/react";
import type { StepRun } from "../store";
import { lightsOnScreen } from "./RunLights";
import { FAR_ZOOM } from "./StepNode";

const lookup = (nodes: Record<string, { x: number; y: number; width?: number; selected?: boolean }>) =>
  new Map(
    Object.entries(nodes).map(([id, n]) => [
      id,
      { id, selected: n.selected, measured: { width: n.width, height: 50 }, internals: { positionAbsolute: { x: n.x, y: n.y } } },
    ]),
  ) as unknown as ReactFlowState["nodeLookup"];

const runs: Record<string, StepRun> = { a: { status: "ok", events: [] }, b: { status: "error", events: [] }, gone: { status: "ok", events: [] } };

describe("lightsOnScreen", () => {
  it("places each lit step where the zoomed canvas shows it, and skips steps not drawn yet", () => {
    const nodes = lookup({ a: { x: 0, y: 0, width: 200 }, b: { x: 400, y: 100, width: 200 }, c: { x: 0, y: 200, width: 200 }, unmeasured: { x: 0, y: 0 } });
    expect(lightsOnScreen({ ...runs, unmeasured: { status: "ok", events: [] } }, nodes, [10, 20, 0.1])).toEqual([
      { id: "a", status: "ok", x: 10, y: 20, width: 20, height: 5 },
      { id: "b", status: "error", x: 50, y: 30, width: 20, height: 5 },
    ]);
  });

  it("leaves a selected step's frame in sight around its light", () => {
    expect(lightsOnScreen(runs, lookup({ a: { x: 0, y: 0, width: 200, selected: true } }), [0, 0, 0.2])).toEqual([
      { id: "a", status: "ok", x: 2, y: 2, width: 36, height: 6 },
    ]);
  });

  it("draws nothing when zoomed near enough for the steps to show their own lights", () => {
    expect(lightsOnScreen(runs, lookup({ a: { x: 0, y: 0, width: 200 } }), [0, 0, FAR_ZOOM])).toEqual([]);
  });
});
