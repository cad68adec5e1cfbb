// An editor's state for one open document (a model or a form): the document,
// undo and redo over the person's own edits, the selection, and whether it
// has unsaved changes. The workflow editor (store.ts) keeps its own, with its
// preview state beside it.
import { create, type StoreApi, type UseBoundStore } from "zustand";

export type DocState<D> = {
  doc: D | null;
  /** The document as last loaded or saved. Undo returns the very objects it
   *  kept, so "unsaved" is an identity check, not a serialization per frame. */
  saved: D | null;
  history: { past: D[]; future: D[]; group: string | null };
  selection: string[];
  load: (doc: D | null) => void;
  markSaved: (doc: D) => void;
  /** Applies a person's edit. Edits with the same `group` in a row undo as one. */
  edit: (f: (doc: D) => D, group?: string) => void;
  undo: () => void;
  redo: () => void;
  select: (ids: string[]) => void;
};

const LIMIT = 200;

export function createDocStore<D>(): UseBoundStore<StoreApi<DocState<D>>> {
  return create<DocState<D>>((set, get) => ({
    doc: null,
    saved: null,
    history: { past: [], future: [], group: null },
    selection: [],
    load: (doc) => set({ doc, saved: doc, history: { past: [], future: [], group: null }, selection: [] }),
    markSaved: (doc) => set({ saved: doc }),
    edit: (f, group) => {
      const { doc, history } = get();
      if (!doc) return;
      const next = f(doc);
      if (next === doc) return;
      const grouped = group !== undefined && history.group === group;
      const past = grouped ? history.past : [...history.past, doc].slice(-LIMIT);
      set({ doc: next, history: { past, future: [], group: group ?? null } });
    },
    undo: () => {
      const { doc, history } = get();
      const prev = history.past[history.past.length - 1];
      if (!doc || prev === undefined) return;
      set({ doc: prev, history: { past: history.past.slice(0, -1), future: [doc, ...history.future], group: null } });
    },
    redo: () => {
      const { doc, history } = get();
      const next = history.future[0];
      if (!doc || next === undefined) return;
      set({ doc: next, history: { past: [...history.past, doc], future: history.future.slice(1), group: null } });
    },
    select: (ids) => set({ selection: ids }),
  }));
}

export const docDirty = <D,>(s: DocState<D>) => s.doc !== null && s.doc !== s.saved;
