// The toolbar's git corner: the current branch with a switcher (new,
// switch, merge into current, delete), and pull / push with progress.
import { useEffect, useRef, useState } from "react";
import { Modal } from "../Modal";
import { errorText, ipc, type ApiError, type BranchesView, type MergeReport, type TransferProgress } from "../ipc";

type Props = {
  branches: BranchesView | null;
  /** Unsaved edits block anything that rewrites the work tree. */
  dirty: boolean;
  /** After anything that changed the work tree or the history. */
  onChanged: (report?: MergeReport) => void;
  onStatus: (text: string) => void;
};

export function mergeText(what: string, r: MergeReport): string {
  switch (r.result) {
    case "up_to_date": return `Already up to date with ${what}`;
    case "fast_forward": return `Updated from ${what}`;
    case "merged": return `Merged ${what}; design files merged per property`;
    case "conflicts": return `Merged ${what} with ${r.files.length} file(s) in conflict: resolve them in the Conflicts tab`;
  }
}

/** A failed git operation, with what the person can do about it. */
export function gitFailure(e: unknown): { title: string; detail: string } {
  const code = (e as ApiError)?.code;
  const detail = errorText(e);
  switch (code) {
    case "remote_auth": return { title: "Authentication failed", detail: `${detail}. Log in once with git (a credential helper, or your ssh agent), then try again.` };
    case "remote_offline": return { title: "Cannot reach the remote", detail: `${detail}. Check the network and the remote's address.` };
    case "remote_rejected": return { title: "The remote has newer commits", detail: `${detail}. Pull, then push again.` };
    case "remote_not_found": return { title: "No such remote", detail };
    case "refused": return { title: "Not now", detail };
    default: return { title: "Git failed", detail };
  }
}

export function TeamBar({ branches, dirty, onChanged, onStatus }: Props) {
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState<"" | "pull" | "push" | "branch">("");
  const [progress, setProgress] = useState<TransferProgress | null>(null);
  const [newName, setNewName] = useState("");
  const [remoteAsk, setRemoteAsk] = useState<"" | "pull" | "push">("");
  const [remoteUrl, setRemoteUrl] = useState("");
  const [failure, setFailure] = useState<{ title: string; detail: string } | null>(null);
  const menu = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const un = ipc.onGitProgress(setProgress);
    return () => void un.then((f) => f());
  }, []);
  useEffect(() => {
    if (!open) return;
    const close = (e: MouseEvent) => menu.current && !menu.current.contains(e.target as Node) && setOpen(false);
    window.addEventListener("mousedown", close);
    return () => window.removeEventListener("mousedown", close);
  }, [open]);

  const guard = (): boolean => {
    if (dirty) onStatus("Save your changes first: this would change the files under the open workflow");
    return !dirty;
  };

  const run = async (kind: typeof busy, f: () => Promise<string | MergeReport | void>, what = "") => {
    setBusy(kind);
    setProgress(null);
    setFailure(null);
    try {
      const out = await f();
      if (typeof out === "string") onStatus(out);
      else if (out) onStatus(mergeText(what, out));
      onChanged(out && typeof out !== "string" ? out : undefined);
      return true;
    } catch (e) {
      setFailure(gitFailure(e));
      onStatus(errorText(e));
      return false;
    } finally {
      setBusy("");
      setProgress(null);
    }
  };

  const remote = branches?.remotes[0]?.name;
  const transfer = (kind: "pull" | "push") => {
    if (!guard()) return;
    if (!remote) return setRemoteAsk(kind);
    run(kind, async () => (kind === "pull" ? ipc.pull(remote) : ipc.push(remote).then(() => `Pushed ${branches?.current} to ${remote}`)), remote);
  };

  const addRemote = async () => {
    const kind = remoteAsk;
    const ok = await run("branch", async () => ipc.setRemote("origin", remoteUrl.trim()).then(() => "Remote origin added"));
    if (!ok || !kind) return;
    setRemoteAsk("");
    run(kind, async () => (kind === "pull" ? ipc.pull("origin") : ipc.push("origin").then(() => "Pushed to origin")), "origin");
  };

  const label = (p: TransferProgress) => `${p.phase} ${p.done}/${p.total}`;
  return (
    <div className="team" ref={menu}>
      <button onClick={() => setOpen(!open)} title="Branches" data-testid="branch-button" aria-expanded={open}>
        <BranchIcon /> {branches?.current || "no branch"} ▾
      </button>
      <button onClick={() => transfer("pull")} disabled={!!busy || !!branches?.merging} title={remote ? `Pull from ${remote}` : "Pull (add a remote first)"} data-testid="pull">
        {busy === "pull" ? <span className="spinner" /> : "↓"} Pull
      </button>
      <button onClick={() => transfer("push")} disabled={!!busy || !!branches?.merging} title={remote ? `Push to ${remote}` : "Push (add a remote first)"} data-testid="push">
        {busy === "push" ? <span className="spinner" /> : "↑"} Push
      </button>
      {busy && progress && progress.total > 0 && <span className="muted small" data-testid="git-progress">{label(progress)}</span>}
      {failure && (
        <div className="team-error" role="alert" data-testid="git-error">
          <strong>{failure.title}</strong>
          <span>{failure.detail}</span>
          <button className="link" onClick={() => setFailure(null)} aria-label="Dismiss">✕</button>
        </div>
      )}
      {open && (
        <div className="menu" role="menu" data-testid="branch-menu">
          <div className="menu-title">Branches</div>
          {branches?.branches.map((b) => (
            <div key={b.name} className={`menu-row${b.current ? " current" : ""}`}>
              <button
                className="link"
                disabled={b.current || !!busy}
                onClick={() => guard() && run("branch", () => ipc.switchBranch(b.name).then(() => `Switched to ${b.name}`)).then(() => setOpen(false))}
                data-testid={`switch-${b.name}`}
              >
                {b.current ? "✓ " : ""}{b.name}
              </button>
              {!b.current && (
                <span className="menu-actions">
                  <button className="small" title={`Merge ${b.name} into ${branches.current}`} onClick={() => guard() && run("branch", () => ipc.mergeBranch(b.name), b.name).then(() => setOpen(false))} data-testid={`merge-${b.name}`}>Merge</button>
                  <button className="small" title={`Delete ${b.name}`} onClick={() => window.confirm(`Delete branch ${b.name}?`) && run("branch", () => ipc.deleteBranch(b.name).then(() => `Deleted ${b.name}`))}>✕</button>
                </span>
              )}
            </div>
          ))}
          <form
            className="menu-row"
            onSubmit={(e) => {
              e.preventDefault();
              if (newName.trim() && guard()) run("branch", () => ipc.createBranch(newName.trim()).then(() => `Created and switched to ${newName.trim()}`)).then(() => (setNewName(""), setOpen(false)));
            }}
          >
            <input aria-label="New branch name" placeholder="New branch name" value={newName} onChange={(e) => setNewName(e.target.value)} data-testid="new-branch" />
            <button type="submit" disabled={!newName.trim()}>Create</button>
          </form>
          {!!branches?.remotes.length && <div className="menu-title">Remotes</div>}
          {branches?.remotes.map((r) => (
            <div key={r.name} className="menu-row muted small" title={r.url}>{r.name}: {r.url}</div>
          ))}
        </div>
      )}
      {remoteAsk && (
        <Modal title="Add a remote" onClose={() => setRemoteAsk("")}>
          <form onSubmit={(e) => (e.preventDefault(), addRemote())}>
            <h2>Where does your team share this project?</h2>
            <p className="muted small">A git remote: a folder path, an ssh address (git@host:team/project.git) or an https URL. Credentials come from git's credential helpers and your ssh agent.</p>
            <input autoFocus aria-label="Address of the team's remote" placeholder="https://git.example.com/team/project.git" value={remoteUrl} onChange={(e) => setRemoteUrl(e.target.value)} data-testid="remote-url" />
            <div className="start-actions">
              <button className="primary" type="submit" disabled={!remoteUrl.trim()}>Add remote and {remoteAsk}</button>
              <button type="button" onClick={() => setRemoteAsk("")}>Cancel</button>
            </div>
          </form>
        </Modal>
      )}
    </div>
  );
}

function BranchIcon() {
  return (
    <svg width="14" height="14" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" aria-hidden>
      <circle cx="6" cy="5" r="2" /><circle cx="6" cy="19" r="2" /><circle cx="18" cy="7" r="2" />
      <path d="M6 7v10M18 9c0 5-8 4-11 8" />
    </svg>
  );
}
