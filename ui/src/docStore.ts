// An editor's state for one open document (a model or a form): the document,
// undo and redo over the person's own edits, the selection, and whether it
// has unsaved changes. The workflow editor (store.ts) keeps its own, with its
// preview state beside it.
import { create, type StoreApi, type UseBoundStore } from "zustand";
import { emptyHistory, recorded, redone, undone, type History } from "./history";

export type DocState<D> = {
  doc: D | null;
  /** The document as last loaded or saved. Undo returns the very objects it
   *  kept, so "unsaved" is an identity check, not a serialization per frame. */
  saved: D | null;
  history: History<D>;
  selection: string[];
  load: (doc: D | null) => void;
  markSaved: (doc: D) => void;
  /** Applies a person's edit. Edits with the same `group` in a row undo as one. */
  edit: (f: (doc: D) => D, group?: string) => void;
  undo: () => void;
  redo: () => void;
  select: (ids: string[]) => void;
};


export function createDocStore<D>(): UseBoundStore<StoreApi<DocState<D>>> {
  return create<DocState<D>>((set, get) => ({
    doc: null,
    saved: null,
    history: emptyHistory<D>(),
    selection: [],
    load: (doc) => set({ doc, saved: doc, history: emptyHistory<D>(), selection: [] }),
    markSaved: (doc) => set({ saved: doc }),
    edit: (f, group) => {
      const { doc, history } = get();
      if (!doc) return;
      const next = f(doc);
      if (next === doc) return;
      set({ doc: next, history: recorded(history, doc, group) });
    },
    undo: () => {
      const { doc, history } = get();
      const step = doc && undone(history, doc);
      if (step) set({ doc: step[0], history: step[1] });
    },
    redo: () => {
      const { doc, history } = get();
      const step = doc && redone(history, doc);
      if (step) set({ doc: step[0], history: step[1] });
    },
    select: (ids) => set({ selection: ids }),
  }));
}

export const docDirty = <D,>(s: DocState<D>) => s.doc !== null && s.doc !== s.saved;

/** Applies an edit that also says what it made (`[doc, id]`: an added step,
 *  entity or component) and returns that; nothing when no document is open. */
export function editMaking<D, T>(edit: (f: (d: D) => D) => void, f: (d: D) => [D, T]): T | undefined {
  let made: T | undefined;
  edit((d) => {
    const [next, what] = f(d);
    made = what;
    return next;
  });
  return made;
}
