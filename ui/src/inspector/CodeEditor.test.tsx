import { afterEach, describe, expect, it, vi } from "vitest";
import { cleanup, render } from "@testing-library/react";
import { CodeEditor } from "./CodeEditor";

afterEach(cleanup);

describe("CodeEditor", () => {
  it("takes a value from outside (the app's undo) without reporting it back as an edit", () => {
    const onChange = vi.fn();
    const { rerender, container } = render(<CodeEditor value="let a = 1;" onChange={onChange} label="code" />);
    rerender(<CodeEditor value="let a = 2;" onChange={onChange} label="code" />);
    expect(container.querySelector(".cm-content")?.textContent).toContain("let a = 2;");
    // Echoing it back would record a new edit and throw the redo history away.
    expect(onChange).not.toHaveBeenCalled();
  });
});
