// Every keyboard shortcut of the workspace, declared once: the key handler,
// the buttons' titles and the shortcuts dialog all read this table.
import { useEffect, useRef } from "react";

export type ShortcutId = "search" | "save" | "undo" | "redo" | "copy" | "paste" | "selectAll" | "layout" | "fit" | "closeCompare" | "help";

export type Shortcut = {
  /** What it does, as a button title says it. */
  label: string;
  /** The key combinations, as shown: `Ctrl+Shift+Z`. Ctrl also means ⌘ on a Mac. */
  keys: string[];
  /** Also while typing in a field or the code editor. */
  whileTyping?: boolean;
};

export const SHORTCUTS: Record<ShortcutId, Shortcut> = {
  search: { label: "Search everything", keys: ["Ctrl+K"], whileTyping: true },
  save: { label: "Save", keys: ["Ctrl+S"], whileTyping: true },
  undo: { label: "Undo", keys: ["Ctrl+Z"] },
  redo: { label: "Redo", keys: ["Ctrl+Shift+Z", "Ctrl+Y"] },
  copy: { label: "Copy the selected steps", keys: ["Ctrl+C"] },
  paste: { label: "Paste steps", keys: ["Ctrl+V"] },
  selectAll: { label: "Select every step", keys: ["Ctrl+A"] },
  layout: { label: "Auto-layout", keys: ["Shift+L"] },
  fit: { label: "Zoom to fit", keys: ["F"] },
  closeCompare: { label: "Close the comparison", keys: ["Escape"], whileTyping: true },
  help: { label: "Keyboard shortcuts", keys: ["?"] },
};

/** A button's title: `Undo (Ctrl+Z)`, or `text` with the shortcut. */
export function titled(id: ShortcutId, text = SHORTCUTS[id].label): string {
  return `${text} (${SHORTCUTS[id].keys[0]})`;
}

/** Whether `e` is the combination `combo` (`Ctrl+Shift+Z`, `F`, `?`). Modifiers must match exactly. */
export function matches(combo: string, e: Pick<KeyboardEvent, "key" | "ctrlKey" | "metaKey" | "shiftKey" | "altKey">): boolean {
  const parts = combo.split("+");
  const key = parts.pop()!.toLowerCase();
  const ctrl = parts.includes("Ctrl");
  // A printable symbol such as `?` already carries its Shift.
  const symbol = key.length === 1 && !/[a-z0-9]/.test(key);
  if ((e.ctrlKey || e.metaKey) !== ctrl || e.altKey) return false;
  if (!symbol && e.shiftKey !== parts.includes("Shift")) return false;
  return e.key.toLowerCase() === key;
}

export function typingIn(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  return !!el && (el.tagName === "INPUT" || el.tagName === "TEXTAREA" || el.tagName === "SELECT" || !!el.closest(".cm-editor"));
}

/** The shortcut `e` stands for, if any, given whether the person is typing. */
export function shortcutOf(e: KeyboardEvent, typing: boolean): ShortcutId | null {
  for (const [id, s] of Object.entries(SHORTCUTS) as [ShortcutId, Shortcut][]) {
    if ((!typing || s.whileTyping) && s.keys.some((k) => matches(k, e))) return id;
  }
  return null;
}

/**
 * Runs `handlers[id]` for each shortcut pressed in the window. A handler that
 * returns `false` declines, and the key does what it would have done.
 */
export function useShortcuts(handlers: Partial<Record<ShortcutId, () => boolean | void>>) {
  const latest = useRef(handlers);
  latest.current = handlers;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const id = shortcutOf(e, typingIn(e.target));
      const run = id && latest.current[id];
      if (run && run() !== false) e.preventDefault();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);
}
