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
type DocTable = {
  store: unknown;
  read: (id: string) => Promise<unknown>;
  write: (doc: never) => Promise<SaveReport>;
  /** Where the document lives, as the status line names it. */
  where: (id: string) => string;
  /** Whether a changed project file is part of the document. */
  owns: (id: string, file: string) => boolean;
};
const DOCS: Record<DocKind, DocTable> = {
  model: { store: useModelEditor, read: ipc.loadModel, write: ipc.saveModel, where: (id) => `models/${id}.json`, owns: (id, f) => f === `models/${id}.json` || f === `models/${id}.layout.json` },
  form: { store: useFormEditor, read: ipc.loadForm, write: ipc.saveForm, where: (id) => `forms/${id}`, owns: (id, f) => f.startsWith(`forms/${id}/`) },
  source: {
    store: useSourceEditor,
    read: (id) => ipc.loadSource(id).then((source) => ({ id, source })),
    write: ipc.saveSource,
    where: (id) => `sources/${id}.json`,
    owns: (id, f) => f === `sources/${id}.json`,
  },
};

/** The editor store of a kind of document. */
export const docStore = (kind: DocKind) => DOCS[kind].store as UseBoundStore<StoreApi<DocState<AnyDoc>>>;
/** Reads a document of `kind` from the project. */
export const readDoc = (kind: DocKind, id: string) => DOCS[kind].read(id) as Promise<AnyDoc>;
/** Reads the open document of `kind` again; one that cannot be read any more closes. */
export async function rereadDoc(kind: DocKind): Promise<void> {
  const id = docStore(kind).getState().doc?.id;
  if (id) docStore(kind).getState().load(await readDoc(kind, id).catch(() => null));
}
/** The open documents that `files` (changed on disk) belong to, with where they live. */
export function docsChangedIn(files: string[]): { kind: DocKind; where: string }[] {
  return DOC_KINDS.flatMap((kind) => {
    const id = docStore(kind).getState().doc?.id;
    return id && files.some((f) => DOCS[kind].owns(id, f)) ? [{ kind, where: DOCS[kind].where(id) }] : [];
  });
}

/** Whether the open document of `kind` has unsaved edits, and can undo or redo. */
export function useDocStatus(kind: DocKind) {
  const store = docStore(kind);
  return { dirty: store(docDirty), canUndo: store((s) => s.history.past.length > 0), canRedo: store((s) => s.history.future.length > 0) };
}

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
