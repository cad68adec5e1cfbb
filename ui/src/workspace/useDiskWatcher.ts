// The watcher, as the workspace sees it: someone else (an editor, `git pull`
// in a terminal) changed files. An untouched workflow reloads at once; one
// with unsaved edits asks (`diskChange`), and the rest only refreshes.
import { useEffect } from "react";
import { ipc } from "../ipc";
import { isDirty, useEditor } from "../store";

export function useDiskWatcher({
  refreshAll,
  reloadDoc,
  onStatus,
  onConflictingEdit,
  onOtherFiles,
}: {
  refreshAll: () => Promise<void>;
  reloadDoc: () => Promise<void>;
  onStatus: (s: string) => void;
  /** Files of the open workflow changed on disk while it has unsaved edits. */
  onConflictingEdit: (files: string[]) => void;
  /** The other designers look at the changed files too (an open model or form). */
  onOtherFiles: (files: string[]) => Promise<void>;
}) {
  useEffect(() => {
    const un = ipc.onFilesChanged(async (files) => {
      await refreshAll();
      await onOtherFiles(files);
      const s = useEditor.getState();
      if (!s.doc || !files.some((f) => f.startsWith(`workflows/${s.doc!.id}/`))) {
        onStatus(`Changed on disk: ${files.join(", ")}`);
      } else if (isDirty(s)) {
        onConflictingEdit(files);
      } else {
        await reloadDoc();
        onStatus(`Reloaded ${s.doc.workflow.name}: it changed on disk`);
      }
    });
    return () => void un.then((f) => f());
    // Subscribed once: the callbacks given are stable for the workspace's life.
  }, []); // eslint-disable-line react-hooks/exhaustive-deps
}
