// Hand a workflow off: its picture for a review (the canvas as SVG) or its
// BPMN 2.0 for Camunda 8, with what the BPMN cannot say exactly; either is
// saved where the person chooses. The CLI's `render` and `export bpmn` make
// the same files.
import { useEffect, useState } from "react";
import { errorText, ipc, type BpmnExport } from "../ipc";
import { Modal } from "../Modal";

type Format = "svg" | "bpmn";

type Props = { workflow: string; unsaved: boolean; onClose: () => void; onStatus: (s: string) => void };

export function HandOffDialog({ workflow, unsaved, onClose, onStatus }: Props) {
  const [format, setFormat] = useState<Format>("svg");
  const [svg, setSvg] = useState("");
  const [bpmn, setBpmn] = useState<BpmnExport | null>(null);
  const [error, setError] = useState("");
  const [busy, setBusy] = useState(true);
  useEffect(() => {
    let live = true;
    setBusy(true);
    setError("");
    const go = format === "svg" ? ipc.workflowSvg(workflow).then((t) => live && setSvg(t)) : ipc.workflowBpmn(workflow).then((b) => live && setBpmn(b));
    go.then(
      () => live && setBusy(false),
      (e) => live && (setError(errorText(e)), setBusy(false)),
    );
    return () => {
      live = false;
    };
  }, [workflow, format]);

  const save = async () => {
    try {
      const path = await ipc.saveWorkflowExport(workflow, format);
      if (path) onStatus(`Saved ${path}`);
    } catch (e) {
      setError(errorText(e));
    }
  };
  const text = format === "svg" ? svg : (bpmn?.xml ?? "");
  return (
    <Modal title="Export the workflow" onClose={onClose} wide testId="handoff-dialog">
      <h2>Export {workflow}</h2>
      <div className="segmented handoff-formats">
        <button aria-pressed={format === "svg"} onClick={() => setFormat("svg")} data-testid="handoff-svg">
          Picture (SVG)
        </button>
        <button aria-pressed={format === "bpmn"} onClick={() => setFormat("bpmn")} data-testid="handoff-bpmn">
          BPMN 2.0 for Camunda {bpmn?.camunda_version ?? "8"}
        </button>
      </div>
      {unsaved && <div className="problem warning">The export is of the saved workflow: save first to include your latest edits.</div>}
      {busy && <p className="muted">Drawing…</p>}
      {error && <div className="problem error">{error}</div>}
      {!busy && !error && format === "svg" && (
        <div className="handoff-picture" data-testid="handoff-picture">
          <img alt={`The workflow ${workflow} as a picture`} src={`data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`} />
        </div>
      )}
      {!busy && !error && format === "bpmn" && bpmn && (
        <>
          {bpmn.notes.length > 0 && (
            <details className="handoff-notes" open data-testid="handoff-notes">
              <summary>{bpmn.notes.length} thing(s) BPMN cannot say exactly</summary>
              <ul>
                {bpmn.notes.map((n) => (
                  <li key={n}>{n}</li>
                ))}
              </ul>
            </details>
          )}
          <pre className="export-text" data-testid="handoff-xml">{bpmn.xml}</pre>
        </>
      )}
      <div className="start-actions">
        <button onClick={() => void navigator.clipboard?.writeText(text)} disabled={!text}>Copy</button>
        <button onClick={() => void save()} disabled={!text} data-testid="handoff-save">Save…</button>
        <button className="primary" onClick={onClose}>Close</button>
      </div>
    </Modal>
  );
}
