// Resolving a merge: each open conflict, property by property, with the
// base, ours and theirs side by side; take one side or edit the value; then
// commit the merge (or abort it).
import { useCallback, useEffect, useState } from "react";
import { errorText, ipc, type Conflict, type JsonValue } from "../ipc";
import { show } from "./compare";

type Props = {
  merging: string | null | undefined;
  refreshKey: number;
  /** After a resolution, a merge commit or an abort changed the files. */
  onChanged: () => void;
};

const key = (c: Conflict) => `${c.file}#${c.pointer}`;
const isText = (c: Conflict) => c.pointer === "";
const text = (v: JsonValue) => (typeof v === "string" ? v : JSON.stringify(v, null, 2));

export function Conflicts({ merging, refreshKey, onChanged }: Props) {
  const [list, setList] = useState<Conflict[] | null>(null);
  const [editing, setEditing] = useState<string | null>(null);
  const [draft, setDraft] = useState("");
  const [message, setMessage] = useState(merging ?? "");
  const [error, setError] = useState("");

  const refresh = useCallback(() => {
    ipc.conflicts().then(setList, (e) => setError(errorText(e)));
  }, []);
  useEffect(refresh, [refresh, refreshKey]);
  useEffect(() => setMessage(merging ?? ""), [merging]);

  const resolve = async (c: Conflict, value: JsonValue) => {
    setError("");
    try {
      setList(await ipc.resolveConflict(c.file, c.pointer, value));
      setEditing(null);
      onChanged();
    } catch (e) {
      setError(errorText(e));
    }
  };
  const applyEdit = (c: Conflict) => {
    if (isText(c)) return resolve(c, draft);
    try {
      resolve(c, JSON.parse(draft) as JsonValue);
    } catch {
      setError(`Not JSON: ${draft.slice(0, 60)}`);
    }
  };
  const commit = async () => {
    setError("");
    try {
      await ipc.commit(message);
      onChanged();
    } catch (e) {
      setError(errorText(e));
    }
  };
  const abort = async () => {
    if (!window.confirm("Abort the merge? Your files go back to your last commit.")) return;
    try {
      await ipc.abortMerge();
      onChanged();
    } catch (e) {
      setError(errorText(e));
    }
  };

  if (!list) return <div className="muted">Looking for conflicts…</div>;
  return (
    <div className="conflicts" data-testid="conflicts">
      {list.length === 0 ? (
        merging ? (
          <div className="merge-done">
            <p><strong>All conflicts are resolved.</strong> Commit the merge to finish it.</p>
            <textarea value={message} onChange={(e) => setMessage(e.target.value)} data-testid="merge-message" />
            <div className="start-actions">
              <button className="primary" disabled={!message.trim()} onClick={commit} data-testid="commit-merge">Commit merge</button>
              <button onClick={abort}>Abort merge</button>
            </div>
          </div>
        ) : (
          <div className="muted">No open conflicts.</div>
        )
      ) : (
        <>
          <div className="conflicts-head">
            <span>
              <strong>{list.length} conflict{list.length === 1 ? "" : "s"}</strong> {merging ? `in ${merging}` : ""}: both sides changed the same thing. Choose for each.
            </span>
            {merging && <button onClick={abort} data-testid="abort-merge">Abort merge</button>}
          </div>
          <ul className="conflict-list">
            {list.map((c) => (
              <li key={key(c)} className="conflict" data-testid={`conflict-${c.pointer || c.file}`}>
                <div className="conflict-where"><strong>{c.label}</strong> <span className="muted small">{c.file}{c.pointer ? ` ${c.pointer}` : ""}</span></div>
                <div className="sides">
                  {(["base", "ours", "theirs"] as const).map((side) => (
                    <div key={side} className={`side ${side}`}>
                      <div className="side-name">{side === "ours" ? "Ours (this branch)" : side === "theirs" ? "Theirs (incoming)" : "Base"}</div>
                      {isText(c) ? <pre>{c[side] === null ? "(none)" : text(c[side])}</pre> : <code>{c[side] === null ? "(absent)" : show(c[side])}</code>}
                    </div>
                  ))}
                </div>
                {editing === key(c) ? (
                  <div className="edit">
                    <textarea value={draft} onChange={(e) => setDraft(e.target.value)} data-testid="conflict-edit" />
                    <button className="primary" onClick={() => applyEdit(c)} data-testid="conflict-apply">Apply</button>
                    <button onClick={() => setEditing(null)}>Cancel</button>
                  </div>
                ) : (
                  <div className="start-actions">
                    <button onClick={() => resolve(c, c.ours)} data-testid="use-ours">Use ours</button>
                    <button onClick={() => resolve(c, c.theirs)} data-testid="use-theirs">Use theirs</button>
                    <button onClick={() => (setEditing(key(c)), setDraft(text(c.ours)))} data-testid="edit-conflict">Edit…</button>
                  </div>
                )}
              </li>
            ))}
          </ul>
        </>
      )}
      {error && <div className="problem error" role="alert">{error}</div>}
    </div>
  );
}
