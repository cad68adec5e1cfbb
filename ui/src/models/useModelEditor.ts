// The open data model's editor state: one store, undo and selection included.
import type { ModelDoc } from "../ipc";
import { create } from "zustand";
import { createDocStore } from "../docStore";

export const useModelEditor = createDocStore<ModelDoc>();

/** What is selected on the model canvas: `entity:<id>` or `enum:<id>`. */
export function selected(sel: string[]): { kind: "entity" | "enum"; id: string } | null {
  if (sel.length !== 1) return null;
  const [kind, id] = sel[0]!.split(":");
  return kind === "entity" || kind === "enum" ? { kind, id: id! } : null;
}

/** The field a jump (search, references, a problem) asks the inspector to open and show. */
export const useFieldFocus = create<{ field: string | null; set: (field: string | null) => void }>((set) => ({
  field: null,
  set: (field) => set({ field }),
}));
