// Opening, creating and saving models and forms, as the workspace does it
// for workflows: the status line says what happened, the explorer and the
// commit panel refresh after a save.
import { useCallback } from "react";
import { errorText, ipc, type SaveReport } from "../ipc";
import { docDirty } from "../docStore";
import { useFormEditor } from "../forms/useFormEditor";
import { useModelEditor } from "../models/useModelEditor";

export type View = "workflow" | "model" | "form";

export function useDesigners({ onStatus, afterSave }: { onStatus: (s: string) => void; afterSave: () => Promise<void> }) {
  const said = useCallback(
    async (report: SaveReport) => {
      onStatus(report.written.length || report.removed.length ? `Saved ${[...report.written, ...report.removed].join(", ")}` : "Nothing to save");
      await afterSave();
    },
    [onStatus, afterSave],
  );

  const open = useCallback(
    async (kind: "model" | "form", id: string): Promise<boolean> => {
      const store = kind === "model" ? useModelEditor : useFormEditor;
      const s = store.getState();
      if (s.doc?.id === id) return true;
      if (docDirty(s as never) && !window.confirm(`Discard unsaved changes to this ${kind}?`)) return false;
      try {
        if (kind === "model") useModelEditor.getState().load(await ipc.loadModel(id));
        else useFormEditor.getState().load(await ipc.loadForm(id));
        return true;
      } catch (e) {
        onStatus(`${id} cannot be opened: ${errorText(e)}`);
        return false;
      }
    },
    [onStatus],
  );

  const create = useCallback(
    async (kind: "model" | "form", id: string, model?: string): Promise<boolean> => {
      try {
        if (kind === "model") useModelEditor.getState().load(await ipc.newModel(id, id.replace(/-/g, " ")));
        else useFormEditor.getState().load(await ipc.newForm(id, model ?? "", null));
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
    async (kind: "model" | "form"): Promise<boolean> => {
      try {
        if (kind === "model") {
          const d = useModelEditor.getState().doc;
          if (!d) return true;
          const r = await ipc.saveModel(d);
          useModelEditor.getState().markSaved(d);
          await said(r);
        } else {
          const d = useFormEditor.getState().doc;
          if (!d) return true;
          const r = await ipc.saveForm(d);
          useFormEditor.getState().markSaved(d);
          await said(r);
        }
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
