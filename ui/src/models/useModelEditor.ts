// The open data model's editor state: one store, undo and selection included.
import type { ModelDoc } from "../ipc";
import { createDocStore } from "../docStore";

export const useModelEditor = createDocStore<ModelDoc>();

/** What is selected on the model canvas: `entity:<id>` or `enum:<id>`. */
export function selected(sel: string[]): { kind: "entity" | "enum"; id: string } | null {
  if (sel.length !== 1) return null;
  const [kind, id] = sel[0]!.split(":");
  return kind === "entity" || kind === "enum" ? { kind, id: id! } : null;
}
