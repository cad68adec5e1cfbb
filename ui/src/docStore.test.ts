import { describe, expect, it } from "vitest";
import { createDocStore, docDirty } from "./docStore";

describe("a designer's document store", () => {
  it("is unsaved after an edit, saved again after undoing it, and groups edits", () => {
    const store = createDocStore<{ n: number }>();
    store.getState().load({ n: 0 });
    expect(docDirty(store.getState())).toBe(false);
    store.getState().edit((d) => ({ n: d.n + 1 }), "typing");
    store.getState().edit((d) => ({ n: d.n + 1 }), "typing");
    expect(store.getState().doc).toEqual({ n: 2 });
    expect(docDirty(store.getState())).toBe(true);
    store.getState().undo(); // one group, one undo
    expect(store.getState().doc).toEqual({ n: 0 });
    expect(docDirty(store.getState())).toBe(false);
    store.getState().redo();
    store.getState().markSaved(store.getState().doc!);
    expect(docDirty(store.getState())).toBe(false);
    expect(store.getState().history.past).toHaveLength(1);
  });
});
