// The run's light on a step is put on its element without a render; a render
// for another reason (selection) must keep it, and a new run must clear it.
import { afterEach, describe, expect, it } from "vitest";
import { act, cleanup, render, screen } from "@testing-library/react";
import { ReactFlowProvider, useStoreApi } from "@xyflow/react";
import type { ComponentProps } from "react";
import type { TraceEvent } from "../ipc";
import { useEditor } from "../store";
import { FAR_ZOOM, StepNode } from "./StepNode";

afterEach(cleanup);

const finished = (step: string, error = false): TraceEvent => ({
  event: "step_finished", step, kind: "custom_code", attempt: 1, duration_ms: 0, ...(error ? { error: { kind: "script", message: "bad" } } : {}),
});

function node(id: string, selected: boolean, zoom = 1) {
  const props = { id, data: { name: id, kind: "custom_code", isStart: false }, selected, type: "step" } as unknown as ComponentProps<typeof StepNode>;
  return (
    <ReactFlowProvider>
      <Zoom zoom={zoom} />
      <StepNode {...props} />
    </ReactFlowProvider>
  );
}

/** Sets the canvas's zoom before the step is drawn. */
function Zoom({ zoom }: { zoom: number }) {
  const flow = useStoreApi();
  if (flow.getState().transform[2] !== zoom) flow.setState({ transform: [0, 0, zoom] });
  return null;
}

describe("a step's run light", () => {
  it("follows the run without a render and survives one", () => {
    useEditor.getState().replay([]);
    const { rerender } = render(node("convert", false));
    const frame = screen.getByTestId("node-convert");
    expect(frame.className).not.toMatch(/run-/);
    act(() => {
      useEditor.getState().startRun();
      useEditor.getState().onTraces([finished("convert")]);
    });
    expect(frame.className).toMatch(/\brun-ok\b/);
    expect(frame.getAttribute("aria-description")).toBe("preview ok");
    rerender(node("convert", true));
    expect(frame.className).toMatch(/\bselected\b/);
    expect(frame.className).toMatch(/\brun-ok\b/);
    act(() => {
      useEditor.getState().startRun();
      useEditor.getState().onTraces([finished("other"), finished("convert", true)]);
    });
    expect(frame.className).toMatch(/\brun-error\b/);
    expect(frame.className).not.toMatch(/\brun-ok\b/);
    act(() => useEditor.getState().replay([]));
    expect(frame.className).not.toMatch(/run-/);
    expect(frame.hasAttribute("aria-description")).toBe(false);
    rerender(node("convert", false));
    expect(frame.className).not.toMatch(/run-|selected/);
  });

  it("is there when the step is drawn after the run", () => {
    act(() => useEditor.getState().replay([finished("late")]));
    render(node("late", false));
    expect(screen.getByTestId("node-late").className).toMatch(/\brun-ok\b/);
  });

  it("is left to the canvas's RunLights zoomed far out, and still said to screen readers", () => {
    useEditor.getState().replay([]);
    render(node("far", false, FAR_ZOOM / 2));
    const frame = screen.getByTestId("node-far");
    expect(frame.className).toMatch(/\bfar\b/);
    act(() => {
      useEditor.getState().startRun();
      useEditor.getState().onTraces([finished("far")]);
    });
    expect(frame.className).not.toMatch(/run-/);
    expect(frame.getAttribute("aria-description")).toBe("preview ok");
  });

  it("its problem badge follows the project's problems", () => {
    const problem = (file: string, element?: string) => ({ file, element, severity: "error" as const, code: "missing-step" as const, message: "" });
    const info = (problems: ReturnType<typeof problem>[]) => ({ root: "/p", name: "p", workflows: [], forms: [], models: [], sources: [], rules: [], problems });
    act(() => {
      useEditor.getState().replay([]);
      useEditor.setState({ doc: { id: "w" } as never, info: info([problem("workflows/w/workflow.json", "/steps/check/next")]) });
    });
    render(node("check", false));
    const frame = screen.getByTestId("node-check");
    expect(frame.querySelector(".badge")?.textContent).toBe("1");
    act(() => useEditor.getState().setInfo(info([problem("workflows/w/workflow.json", "/steps/check/next"), problem("workflows/w/steps/check.js")])));
    expect(frame.querySelector(".badge")?.textContent).toBe("2");
    // A run's update leaves it be; another workflow's problems are not this step's.
    act(() => useEditor.getState().onTraces([finished("check")]));
    expect(frame.querySelector(".badge")?.textContent).toBe("2");
    act(() => useEditor.getState().setInfo(info([problem("workflows/other/workflow.json", "/steps/check/next")])));
    expect(frame.querySelector(".badge")).toBeNull();
    act(() => useEditor.setState({ doc: null, info: null }));
  });
});
