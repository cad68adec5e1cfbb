// Changed files, a message box, commit; asks for the author once; history.
import { useCallback, useEffect, useState } from "react";
import { errorText, ipc, type CommitEntry, type FileChange } from "../ipc";

export function CommitPanel({ refreshKey, onCommitted }: { refreshKey: number; onCommitted?: () => void }) {
  const [changes, setChanges] = useState<FileChange[]>([]);
  const [log, setLog] = useState<CommitEntry[]>([]);
  const [message, setMessage] = useState("");
  const [author, setAuthor] = useState<[string, string] | null | undefined>(undefined);
  const [name, setName] = useState("");
  const [email, setEmail] = useState("");
  const [error, setError] = useState("");
  const refresh = useCallback(() => {
    ipc.gitStatus().then(setChanges, (e) => setError(errorText(e)));
    ipc.gitLog().then(setLog, () => setLog([]));
    ipc.gitAuthor().then(setAuthor, () => setAuthor(null));
  }, []);
  useEffect(refresh, [refresh, refreshKey]);
  const commit = async () => {
    setError("");
    try {
      if (!author) await ipc.setGitAuthor(name, email);
      await ipc.commit(message);
      setMessage("");
      refresh();
      onCommitted?.();
    } catch (e) {
      setError(errorText(e));
    }
  };
  return (
    <div className="commit-panel" data-testid="commit-panel">
      <h3>Changes</h3>
      {changes.length === 0 ? (
        <div className="muted small">Nothing changed since the last commit.</div>
      ) : (
        <ul className="changes">
          {changes.map((c) => (
            <li key={c.path}><span className={`change ${c.change}`}>{c.change}</span> {c.path}</li>
          ))}
        </ul>
      )}
      {author === null && (
        <div className="author">
          <div className="muted small">Who is committing? (asked once, kept in this repository)</div>
          <input aria-label="Your name" placeholder="Your name" value={name} onChange={(e) => setName(e.target.value)} data-testid="author-name" />
          <input aria-label="Your email address" placeholder="you@example.com" value={email} onChange={(e) => setEmail(e.target.value)} data-testid="author-email" />
        </div>
      )}
      <textarea aria-label="Commit message" placeholder="What changed, and why" value={message} onChange={(e) => setMessage(e.target.value)} data-testid="commit-message" />
      <button className="primary" disabled={!message.trim() || changes.length === 0} onClick={commit} data-testid="commit">
        Commit
      </button>
      {error && <div className="problem error" role="alert">{error}</div>}
      <h3>History</h3>
      <ul className="history" data-testid="history">
        {log.map((c) => (
          <li key={c.id}>
            <code>{c.id.slice(0, 7)}</code> {c.summary} <span className="muted small">— {c.author}, {new Date(c.time * 1000).toLocaleString()}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}
