// The model designer's tools: add an entity or a choice list, import from
// SQL or DBML, export to SQL or JSON Schema.
import { useState } from "react";
import type { ImportReport } from "../ipc";
import { editMaking } from "../docStore";
import { ExportModelDialog, ImportModelDialog } from "./ImportExport";
import { addEntity, addEnum } from "./modelDoc";
import { useModelEditor } from "./useModelEditor";

export function ModelTools({ onImported, center }: { onImported: (r: ImportReport) => void; center: () => { x: number; y: number } }) {
  const id = useModelEditor((s) => s.doc?.id);
  const doc = id === undefined ? null : { id };
  const { edit, select } = useModelEditor.getState();
  const [dialog, setDialog] = useState<"import" | "export" | null>(null);
  const add = (what: "entity" | "enum") => {
    const { x, y } = center();
    const id = editMaking(edit, (d) => (what === "entity" ? addEntity(d, x, y) : addEnum(d, x, y)));
    if (id) select([`${what}:${id}`]);
  };
  return (
    <div className="palette-group">
      <button onClick={() => add("entity")} disabled={!doc} title="Add an entity" data-testid="add-entity">+ Entity</button>
      <button onClick={() => add("enum")} disabled={!doc} title="Add a list of choices for enum fields" data-testid="add-enum">+ Choice list</button>
      <button onClick={() => setDialog("import")} title="Import a model from SQL DDL or DBML" data-testid="import-model">Import…</button>
      <button onClick={() => setDialog("export")} disabled={!doc} title="Export the model as SQL DDL or JSON Schema" data-testid="export-model">Export…</button>
      {dialog === "import" && <ImportModelDialog onClose={() => setDialog(null)} onImported={onImported} />}
      {dialog === "export" && doc && <ExportModelDialog model={doc.id} onClose={() => setDialog(null)} />}
    </div>
  );
}
