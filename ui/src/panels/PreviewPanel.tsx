// Run a preview: pick a test case or type input JSON, watch steps light up.
import { useEffect, useState } from "react";
import { errorText, ipc, type RunResult } from "../ipc";
import { useEditor } from "../store";

export function PreviewPanel({ beforeRun }: { beforeRun: () => Promise<boolean> }) {
  const doc = useEditor((s) => s.doc);
  const trace = useEditor((s) => s.trace);
  const clearRun = useEditor((s) => s.clearRun);
  const onTrace = useEditor((s) => s.onTrace);
  const select = useEditor((s) => s.select);
  const [caseId, setCaseId] = useState("");
  const [input, setInput] = useState("{}");
  const [running, setRunning] = useState(false);
  const [result, setResult] = useState<RunResult | null>(null);
  const [error, setError] = useState("");
  useEffect(() => {
    const off = ipc.onPreview(onTrace);
    return () => {
      off.then((f) => f());
    };
  }, [onTrace]);
  useEffect(() => setCaseId(doc?.tests[0]?.id ?? ""), [doc?.id]); // eslint-disable-line react-hooks/exhaustive-deps
  if (!doc) return null;
  const run = async () => {
    setError("");
    setResult(null);
    let parsed: unknown = undefined;
    if (!caseId) {
      try {
        parsed = JSON.parse(input);
      } catch (e) {
        setError(`The input is not JSON: ${e}`);
        return;
      }
    }
    if (!(await beforeRun())) return;
    clearRun();
    setRunning(true);
    try {
      setResult(await ipc.runPreview({ workflow: doc.id, case: caseId || undefined, input: parsed as never }));
    } catch (e) {
      setError(errorText(e));
    } finally {
      setRunning(false);
    }
  };
  const finished = trace.filter((e) => e.event === "step_finished");
  return (
    <div className="preview-panel" data-testid="preview-panel">
      <div className="preview-controls">
        <select value={caseId} onChange={(e) => setCaseId(e.target.value)} data-testid="preview-case">
          <option value="">Type an input…</option>
          {doc.tests.map((t) => (
            <option key={t.id} value={t.id}>Test case: {t.name}</option>
          ))}
        </select>
        <button className="primary" onClick={run} disabled={running} data-testid="run-preview">
          {running ? "Running…" : "▶ Run preview"}
        </button>
      </div>
      {!caseId && <textarea className="input-json" value={input} onChange={(e) => setInput(e.target.value)} spellCheck={false} data-testid="preview-input" />}
      {running && <div className="progress" role="progressbar" />}
      {error && <div className="problem error" role="alert">{error}</div>}
      <ol className="trace" data-testid="trace">
        {finished.map((e, i) =>
          e.event === "step_finished" ? (
            <li key={i} className={e.error ? "error" : "ok"}>
              <button className="link" onClick={() => select([e.step])} data-testid={`trace-${e.step}`}>
                {e.error ? "✗" : "✓"} {e.step} {e.attempt > 1 ? `(attempt ${e.attempt})` : ""}
                {e.error ? ` — ${e.error.message}` : ""}
              </button>
            </li>
          ) : null,
        )}
      </ol>
      {result && (
        <div className={`result ${result.status}`} data-testid="preview-result">
          <strong>{result.status}</strong>
          {result.end_step ? ` at ${result.end_step}` : ""}
          {result.error ? `: ${result.error.message}` : ""}
          {result.output !== null && <pre>{JSON.stringify(result.output, null, 2)}</pre>}
        </div>
      )}
    </div>
  );
}
