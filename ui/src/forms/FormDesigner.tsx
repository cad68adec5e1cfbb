// The form designer: palette and grid, or the live preview, with the
// component inspector beside them. The form's model is read for the binding
// picker and the preview's choices.
import { useEffect, useState } from "react";
import { errorText, ipc, type DataModel, type JsonValue } from "../ipc";
import { ComponentInspector } from "./ComponentInspector";
import { FormCanvas } from "./FormCanvas";
import { FormPreview } from "./FormPreview";
import { useFormEditor } from "./useFormEditor";
import { inDrawnOrder } from "../models/modelDoc";

export function FormDesigner({ previewing, onSubmit, onStatus }: { previewing: boolean; onSubmit: (record: JsonValue) => void; onStatus: (s: string) => void }) {
  const doc = useFormEditor((s) => s.doc);
  const [model, setModel] = useState<DataModel | null>(null);
  const [languages, setLanguages] = useState<string[]>([]);
  const modelId = doc?.form.model;
  useEffect(() => {
    if (!modelId) return;
    ipc.loadModel(modelId).then(
      // Fields in the model's drawn order: the binding picker and conditions list them so.
      (m) => setModel(inDrawnOrder(m)),
      (e) => {
        setModel(null);
        onStatus(`The form's model cannot be read: ${errorText(e)}`);
      },
    );
  }, [modelId]); // eslint-disable-line react-hooks/exhaustive-deps
  if (!doc) return <main className="center"><div className="canvas empty">Choose a form in the explorer.</div></main>;
  return (
    <>
      <main className="center">{previewing ? <div className="canvas form-canvas"><FormPreview doc={doc} model={model} onSubmit={onSubmit} /></div> : <FormCanvas />}</main>
      <ComponentInspector model={model} extraLanguages={languages} onAddLanguage={(l) => setLanguages((x) => [...new Set([...x, l])])} />
    </>
  );
}
