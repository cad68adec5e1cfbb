// The run's light on a step is put on its element without a render; a render
// for another reason (selection) must keep it, and a new run must clear it.
import { afterEach, describe, expect, it } from "vitest";
import { act, cleanup, render, screen } from "@testing-library/react";
import { ReactFlowProvider } from "@xyflow/react";
import type { ComponentProps } from "react";
import type { TraceEvent } from "../ipc";
import { useEditor } from "../store";
import { StepNode } from "./StepNode";

afterEach(cleanup);

const finished = (step: string, error = false): TraceEvent => ({
  event: "step_finished", step, kind: "custom_code", attempt: 1, duration_ms: 0, ...(error ? { error: { kind: "script", message: "bad" } } : {}),
});

function node(id: string, selected: boolean) {
  const props = { id, data: { name: id, kind: "custom_code", isStart: false }, selected, type: "step" } as unknown as ComponentProps<typeof StepNode>;
  return (
    <ReactFlowProvider>
      <StepNode {...props} />
    </ReactFlowProvider>
  );
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
    rerender(node("convert", false));
    expect(frame.className).not.toMatch(/run-|selected/);
  });

  it("is there when the step is drawn after the run", () => {
    act(() => useEditor.getState().replay([finished("late")]));
    render(node("late", false));
    expect(screen.getByTestId("node-late").className).toMatch(/\brun-ok\b/);
  });
});
