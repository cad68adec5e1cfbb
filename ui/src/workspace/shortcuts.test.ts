import { describe, expect, it } from "vitest";
import { SHORTCUTS, matches, shortcutOf, titled } from "./shortcuts";

const key = (k: string, mods: { ctrl?: boolean; meta?: boolean; shift?: boolean; alt?: boolean } = {}) =>
  new KeyboardEvent("keydown", { key: k, ctrlKey: !!mods.ctrl, metaKey: !!mods.meta, shiftKey: !!mods.shift, altKey: !!mods.alt });

describe("keyboard shortcuts", () => {
  it("matches modifiers exactly, Ctrl or ⌘ alike", () => {
    expect(matches("Ctrl+Z", key("z", { ctrl: true }))).toBe(true);
    expect(matches("Ctrl+Z", key("z", { meta: true }))).toBe(true);
    expect(matches("Ctrl+Z", key("Z", { ctrl: true, shift: true }))).toBe(false);
    expect(matches("Ctrl+Shift+Z", key("Z", { ctrl: true, shift: true }))).toBe(true);
    expect(matches("F", key("f", { ctrl: true }))).toBe(false);
    expect(matches("?", key("?", { shift: true })), "a symbol carries its own Shift").toBe(true);
    expect(matches("Ctrl+S", key("s", { ctrl: true, alt: true }))).toBe(false);
  });

  it("finds the shortcut, and only Save and Escape while typing", () => {
    expect(shortcutOf(key("y", { ctrl: true }), false)).toBe("redo");
    expect(shortcutOf(key("l", { shift: true }), false)).toBe("layout");
    expect(shortcutOf(key("z", { ctrl: true }), true)).toBe(null);
    expect(shortcutOf(key("s", { ctrl: true }), true)).toBe("save");
    expect(shortcutOf(key("Escape"), true)).toBe("closeCompare");
    expect(shortcutOf(key("q"), false)).toBe(null);
  });

  it("gives buttons their titles from the same table", () => {
    expect(titled("undo")).toBe("Undo (Ctrl+Z)");
    expect(titled("fit")).toBe("Zoom to fit (F)");
    // No two shortcuts share a key combination.
    const all = Object.values(SHORTCUTS).flatMap((s) => s.keys);
    expect(new Set(all).size).toBe(all.length);
  });
});
