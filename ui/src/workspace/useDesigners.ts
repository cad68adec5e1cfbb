// Opening, creating and saving models, forms and sources, as the workspace
// does it for workflows: the status line says what happened, the explorer and
// the commit panel refresh after a save. One table says which store, read and
// write each kind of document has.
import { useCallback } from "react";
import type { StoreApi, UseBoundStore } from "zustand";
import { errorText, ipc, type SaveReport } from "../ipc";
import { docDirty, type DocState } from "../docStore";
import { useFormEditor } from "../forms/useFormEditor";
import { useModelEditor } from "../models/useModelEditor";
import { useSourceEditor } from "../sources/useSourceEditor";

/** The documents with a designer besides workflows. */
export type DocKind = "model" | "form" | "source";
export type View = "workflow" | DocKind;
export const DOC_KINDS: DocKind[] = ["model", "form", "source"];

type AnyDoc = { id: string };
const DOCS: Record<DocKind, { store: unknown; read: (id: string) => Promise<unknown>; write: (doc: never) => Promise<SaveReport> }> = {
  model: { store: useModelEditor, read: ipc.loadModel, write: ipc.saveModel },
  form: { store: useFormEditor, read: ipc.loadForm, write: ipc.saveForm },
  source: { store: useSourceEditor, read: (id) => ipc.loadSource(id).then((source) => ({ id, source })), write: ipc.saveSource },
};

/** The editor store of a kind of document. */
export const docStore = (kind: DocKind) => DOCS[kind].store as UseBoundStore<StoreApi<DocState<AnyDoc>>>;
/** Reads a document of `kind` from the project. */
export const readDoc = (kind: DocKind, id: string) => DOCS[kind].read(id) as Promise<AnyDoc>;

export function useDesigners({ onStatus, afterSave }: { onStatus: (s: string) => void; afterSave: () => Promise<void> }) {
  const said = useCallback(
    async (report: SaveReport) => {
      onStatus(report.written.length || report.removed.length ? `Saved ${[...report.written, ...report.removed].join(", ")}` : "Nothing to save");
      await afterSave();
    },
    [onStatus, afterSave],
  );

  const open = useCallback(
    async (kind: DocKind, id: string): Promise<boolean> => {
      const s = docStore(kind).getState();
      if (s.doc?.id === id) return true;
      if (docDirty(s) && !window.confirm(`Discard unsaved changes to this ${kind}?`)) return false;
      try {
        docStore(kind).getState().load(await readDoc(kind, id));
        return true;
      } catch (e) {
        onStatus(`${id} cannot be opened: ${errorText(e)}`);
        return false;
      }
    },
    [onStatus],
  );

  const create = useCallback(
    async (kind: DocKind, id: string, model?: string): Promise<boolean> => {
      try {
        const made = kind === "model" ? await ipc.newModel(id, id.replace(/-/g, " ")) : kind === "form" ? await ipc.newForm(id, model ?? "", null) : await ipc.newSource(id);
        docStore(kind).getState().load(made);
        await afterSave();
        return true;
      } catch (e) {
        onStatus(errorText(e));
        return false;
      }
    },
    [onStatus, afterSave],
  );

  const save = useCallback(
    async (kind: DocKind): Promise<boolean> => {
      try {
        const d = docStore(kind).getState().doc;
        if (!d) return true;
        const r = await DOCS[kind].write(d as never);
        docStore(kind).getState().markSaved(d);
        await said(r);
        return true;
      } catch (e) {
        onStatus(`Not saved: ${errorText(e)}`);
        return false;
      }
    },
    [onStatus, said],
  );

  return { open, create, save };
}
