// "References" and "Rename…" for any element, by its address. References
// lists who uses it and what it uses (each opens); Rename shows what it will
// change, lists what only code names (which it will not change), and applies.
import { createContext, useContext, useEffect, useState } from "react";
import { errorText, ipc, type References, type RenameReport } from "../ipc";
import { Modal } from "../Modal";

export type FindActions = {
  /** Opens the element at an address in its designer. */
  open: (address: string) => void;
  /** After a rename: reload what is open, and open `to`. */
  renamed: (report: RenameReport) => void;
  /** Unsaved edits in a designer: a rename rewrites files, so it waits for a save. */
  unsaved: boolean;
};

export const FindContext = createContext<FindActions>({ open: () => {}, renamed: () => {}, unsaved: false });

const slugOf = (s: string) => s.toLowerCase().replace(/[^a-z0-9-]/g, "-");

function ReferencesDialog({ address, onClose }: { address: string; onClose: () => void }) {
  const { open } = useContext(FindContext);
  const [refs, setRefs] = useState<References | null>(null);
  const [error, setError] = useState("");
  useEffect(() => {
    ipc.references(address).then(setRefs, (e) => setError(errorText(e)));
  }, [address]);
  const list = (title: string, rows: References["used_by"]) => (
    <>
      <h3>{title}</h3>
      {rows.length === 0 ? (
        <p className="muted small">nothing</p>
      ) : (
        <ul className="refs-list">
          {rows.map((r) => (
            <li key={`${r.kind}|${r.address}`}>
              <span className="muted small">{r.kind}</span>{" "}
              <button className="link" onClick={() => { onClose(); open(r.address); }}>
                {r.name ? `${r.name} ` : ""}<code>{r.address}</code>
              </button>
              {r.in_code && <span className="code-note" title="Seen in the text of code: a rename does not change it"> · in code</span>}
            </li>
          ))}
        </ul>
      )}
    </>
  );
  return (
    <Modal title={`References of ${address}`} onClose={onClose} wide testId="references-dialog">
      <h2>References</h2>
      <p><code>{address}</code>{refs?.name ? ` · ${refs.name}` : ""}</p>
      {error && <div className="problem error">{error}</div>}
      {!refs && !error && <span className="spinner" aria-label="Loading" />}
      {refs && list("Used by", refs.used_by)}
      {refs && list("Uses", refs.uses)}
      <div className="start-actions">
        <button onClick={onClose}>Close</button>
      </div>
    </Modal>
  );
}

function RenameDialog({ address, onClose }: { address: string; onClose: () => void }) {
  const { renamed, unsaved } = useContext(FindContext);
  const old = address.split("/").pop() ?? "";
  const [id, setId] = useState(old);
  const [plan, setPlan] = useState<RenameReport | null>(null);
  const [error, setError] = useState("");
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    setPlan(null);
    setError("");
    if (!id || id === old) return;
    let live = true;
    const t = setTimeout(() => {
      ipc.rename(address, id, false).then(
        (p) => live && setPlan(p),
        (e) => live && setError(errorText(e)),
      );
    }, 150);
    return () => {
      live = false;
      clearTimeout(t);
    };
  }, [address, id, old]);
  const apply = async (force: boolean) => {
    setBusy(true);
    try {
      const r = await ipc.rename(address, id, true, force);
      if (r.refused) {
        setPlan(r);
        setError(r.refused);
      } else {
        onClose();
        renamed(r);
      }
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  const risky = (plan?.check_by_hand.length ?? 0) > 0;
  return (
    <Modal title={`Rename ${address}`} onClose={onClose} wide testId="rename-dialog">
      <h2>Rename</h2>
      <p><code>{address}</code></p>
      <form
        className="path-row"
        onSubmit={(e) => {
          e.preventDefault();
          if (plan && !risky) void apply(false);
        }}
      >
        <input aria-label="New id" value={id} onChange={(e) => setId(slugOf(e.target.value))} autoFocus data-testid="rename-id" />
        <button type="submit" className="primary" disabled={!plan || risky || busy || unsaved} data-testid="rename-apply">Rename</button>
      </form>
      {unsaved && <div className="problem warning">Save your edits first: a rename rewrites the files.</div>}
      {error && <div className="problem error" data-testid="rename-error">{error}</div>}
      {plan && (
        <div data-testid="rename-plan">
          <p className="muted">
            {plan.references === 1 ? "1 reference follows" : `${plan.references} references follow`}; {plan.written.length + plan.removed.length === 1 ? "1 file changes" : `${plan.written.length + plan.removed.length} files change`}.
          </p>
          <ul className="refs-list small">
            {plan.written.map((f) => <li key={`w${f}`}>✎ <code>{f}</code></li>)}
            {plan.removed.map((f) => <li key={`r${f}`}>✕ <code>{f}</code></li>)}
          </ul>
          {risky && (
            <>
              <div className="problem warning">Code or text names <code>{old}</code>; a rename cannot change these safely. Change them by hand, or rename anyway and fix them after:</div>
              <ul className="refs-list small" data-testid="rename-check">
                {plan.check_by_hand.map((m) => <li key={m}><code>{m}</code></li>)}
              </ul>
              <button className="danger" onClick={() => void apply(true)} disabled={busy || unsaved} data-testid="rename-force">Rename anyway</button>
            </>
          )}
        </div>
      )}
    </Modal>
  );
}

/** The two buttons, for the element at `address`. */
export function ElementActions({ address, label }: { address: string; label?: string }) {
  const [dialog, setDialog] = useState<"refs" | "rename" | null>(null);
  return (
    <div className="element-actions">
      <button onClick={() => setDialog("refs")} title={`Who uses ${label ?? address}, and what it uses`} data-testid="find-references">References</button>
      <button onClick={() => setDialog("rename")} title={`Give ${label ?? address} a new id, and everything that names it`} data-testid="rename">Rename…</button>
      {dialog === "refs" && <ReferencesDialog address={address} onClose={() => setDialog(null)} />}
      {dialog === "rename" && <RenameDialog address={address} onClose={() => setDialog(null)} />}
    </div>
  );
}
