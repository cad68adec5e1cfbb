// Compare for a model or a form: its changes between two versions, element
// by element (entity, field, enum, component), in the words `atelier diff`
// uses; positions and placements apart, hidden on request.
import { useEffect, useState } from "react";
import { errorText, ipc, type BranchEntry, type Change, type CommitEntry } from "../ipc";
import { describe } from "./compare";
import { RevisionOptions, WORK_TREE } from "./Compare";

type Props = { kind: "model" | "form"; id: string; branches: BranchEntry[]; onClose: () => void };

export function ArtifactCompare({ kind, id, branches, onClose }: Props) {
  const [commits, setCommits] = useState<CommitEntry[]>([]);
  const [from, setFrom] = useState("HEAD");
  const [to, setTo] = useState(WORK_TREE);
  const [changes, setChanges] = useState<Change[] | null>(null);
  const [layout, setLayout] = useState(true);
  const [error, setError] = useState("");
  useEffect(() => {
    ipc.gitLog().then(setCommits, () => setCommits([]));
  }, []);
  useEffect(() => {
    let live = true;
    ipc.diff(from, to || null).then(
      (r) => live && (setChanges(r.changes.filter((c) => c.artifact?.kind === kind && c.artifact.id === id)), setError("")),
      (e) => live && (setChanges(null), setError(errorText(e))),
    );
    return () => {
      live = false;
    };
  }, [from, to, kind, id]);
  const shown = (changes ?? []).filter((c) => layout || !c.layout);
  // The picture `atelier diff --svg` writes for this design, shown above the list.
  const [picture, setPicture] = useState("");
  useEffect(() => {
    let live = true;
    ipc.comparePicture(kind, id, from, to || null).then(
      (svg) => live && setPicture(svg),
      () => live && setPicture(""),
    );
    return () => {
      live = false;
    };
  }, [from, to, kind, id]);
  return (
    <div className="compare artifact-compare" data-testid="compare">
      <div className="compare-bar">
        <strong>Compare {kind} {id}</strong>
        <label>
          from
          <select value={from} onChange={(e) => setFrom(e.target.value)} data-testid="compare-from"><RevisionOptions branches={branches} commits={commits} withWorkTree={false} /></select>
        </label>
        <span aria-hidden>→</span>
        <label>
          to
          <select value={to} onChange={(e) => setTo(e.target.value)} data-testid="compare-to"><RevisionOptions branches={branches} commits={commits} withWorkTree /></select>
        </label>
        <label className="check"><input type="checkbox" checked={layout} onChange={(e) => setLayout(e.target.checked)} /> positions</label>
        <button
          onClick={() => void ipc.saveComparePicture(kind, id, from, to || null).catch((e) => setError(errorText(e)))}
          disabled={!picture}
          title="Save this comparison as a picture (SVG) to attach to a pull request; `atelier diff --svg` makes the same"
          data-testid="compare-save-picture"
        >
          Save picture…
        </button>
        <button onClick={onClose} title="Back to editing (Esc)" data-testid="compare-close">Done</button>
      </div>
      {picture && shown.length > 0 && (
        <div className="handoff-picture compare-picture" data-testid="compare-picture">
          <img alt={`The ${kind} ${id}, its changes marked`} src={`data:image/svg+xml;charset=utf-8,${encodeURIComponent(picture)}`} />
        </div>
      )}
      <div className="artifact-changes" data-testid="compare-changes">
        {error && <div className="problem error">{error}</div>}
        {changes && shown.length === 0 && <p className="muted">No changes between these versions{to ? "" : " (saved files; unsaved edits are not in the comparison)"}.</p>}
        <ul>
          {shown.map((c, i) => (
            <li key={i} className={`change-item diff-${c.layout ? "moved" : c.kind}`}>{describe(c)}</li>
          ))}
        </ul>
      </div>
    </div>
  );
}
