import { afterEach, describe, expect, it, vi } from "vitest";
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";

const hits = [
  { address: "workflows/expense-approval/steps/convert", kind: "step", name: "Convert to EUR", text: "const amountEur = \u0002Math\u0003.\u0002round\u0003(x)" },
  { address: "models/expense/entities/claim/fields/amount", kind: "field", name: "Amount", text: "Amount" },
];

vi.mock("../ipc", () => ({
  ipc: { search: vi.fn(async (q: string) => ({ hits: q.startsWith("nothing") ? [] : hits, reindexed: 0 })) },
  errorText: (e: { message: string }) => e.message,
}));

import { ipc } from "../ipc";
import { CommandPalette } from "./CommandPalette";
import { addressOf, jumpOfAddress, marked } from "./addresses";

afterEach(cleanup);

describe("addresses", () => {
  it("open each element in its designer with it selected", () => {
    expect(jumpOfAddress("workflows/w/steps/s")).toEqual({ kind: "workflow", id: "w", select: "s" });
    expect(jumpOfAddress("models/m/entities/e/fields/f")).toEqual({ kind: "model", id: "m", select: "entity:e", field: "f" });
    expect(jumpOfAddress("models/m/enums/n")).toEqual({ kind: "model", id: "m", select: "enum:n" });
    expect(jumpOfAddress("forms/f/components/c")).toEqual({ kind: "form", id: "f", select: "c" });
    expect(jumpOfAddress("sources/fx")).toEqual({ kind: "source", id: "fx", select: null });
    expect(jumpOfAddress("secrets/FX_API_KEY")).toBeNull();
    expect(jumpOfAddress("")).toBeNull();
  });

  it("are made from what a designer has selected, the way the index spells them", () => {
    expect(addressOf("workflow", "w", "s")).toBe("workflows/w/steps/s");
    expect(addressOf("model", "m", "entity:e", "f")).toBe("models/m/entities/e/fields/f");
    expect(addressOf("model", "m", "enum:n")).toBe("models/m/enums/n");
    expect(addressOf("form", "f", null)).toBe("forms/f");
  });

  it("cut a hit's text at its marks", () => {
    expect(marked("a \u0002b\u0003 c \u0002d\u0003")).toEqual([
      { text: "a ", match: false },
      { text: "b", match: true },
      { text: " c ", match: false },
      { text: "d", match: true },
    ]);
    expect(marked("plain")).toEqual([{ text: "plain", match: false }]);
  });
});

describe("CommandPalette", () => {
  it("is a combobox whose arrows move the active option and whose Enter opens it", async () => {
    const onOpen = vi.fn();
    const onClose = vi.fn();
    render(<CommandPalette onOpen={onOpen} onClose={onClose} />);
    const input = screen.getByRole("combobox");
    expect(document.activeElement).toBe(input);
    fireEvent.change(input, { target: { value: "amo" } });
    await waitFor(() => expect(screen.getAllByRole("option")).toHaveLength(2));
    expect(ipc.search).toHaveBeenLastCalledWith("amo", 30);
    const [first, second] = screen.getAllByRole("option");
    expect(input.getAttribute("aria-activedescendant")).toBe(first!.id);
    expect(first!.getAttribute("aria-selected")).toBe("true");
    // The matched words are marked.
    expect(first!.querySelectorAll("mark")).toHaveLength(2);
    fireEvent.keyDown(input, { key: "ArrowDown" });
    expect(input.getAttribute("aria-activedescendant")).toBe(second!.id);
    fireEvent.keyDown(input, { key: "ArrowDown" });
    expect(input.getAttribute("aria-activedescendant")).toBe(second!.id); // stays on the last
    fireEvent.keyDown(input, { key: "Enter" });
    expect(onOpen).toHaveBeenCalledWith("models/expense/entities/claim/fields/amount");
    expect(onClose).toHaveBeenCalled();
  });

  it("says when nothing matches, and Escape closes it", async () => {
    const onClose = vi.fn();
    render(<CommandPalette onOpen={vi.fn()} onClose={onClose} />);
    const input = screen.getByRole("combobox");
    fireEvent.change(input, { target: { value: "nothing here" } });
    await screen.findByText(/Nothing matches/);
    fireEvent.keyDown(input, { key: "Escape" });
    expect(onClose).toHaveBeenCalled();
  });
});
