// The compare view: pick two versions (branches, commits, the working tree),
// see one workflow drawn once with added, removed, changed and moved steps
// marked, and each step's property diff beside it.
import { useEffect, useMemo, useState } from "react";
import { Background, Controls, MarkerType, ReactFlow, type Edge, type NodeTypes } from "@xyflow/react";
import { errorText, ipc, type BranchEntry, type CommitEntry, type CompareView } from "../ipc";
import { StepNode } from "../canvas/StepNode";
import { toEdges, toNodes } from "../canvas/graph";
import { compareGraph, describe, stepOf, type DiffStatus } from "./compare";

const nodeTypes: NodeTypes = { step: StepNode };
export const WORK_TREE = "";

type Props = { workflow: string; branches: BranchEntry[]; onClose: () => void };

export function Compare({ workflow, branches, onClose }: Props) {
  // Revisions to choose from: the workspace's branches, then recent commits.
  const [commits, setCommits] = useState<CommitEntry[]>([]);
  useEffect(() => {
    ipc.gitLog().then(setCommits, () => setCommits([]));
  }, []);
  const [from, setFrom] = useState("HEAD");
  const [to, setTo] = useState(WORK_TREE);
  const [view, setView] = useState<CompareView | null>(null);
  const [error, setError] = useState("");
  const [busy, setBusy] = useState(false);
  const [selected, setSelected] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    setBusy(true);
    ipc.compare(from, to || undefined, workflow).then(
      (v) => live && (setView(v), setError(""), setBusy(false)),
      (e) => live && (setView(null), setError(errorText(e)), setBusy(false)),
    );
    return () => {
      live = false;
    };
  }, [from, to, workflow]);

  const graph = useMemo(() => (view ? compareGraph(view) : null), [view]);
  const nodes = useMemo(
    () => (graph ? toNodes(graph.doc, selected ? [selected] : []).map((n) => ({ ...n, data: { ...n.data, diff: graph.status[n.id] }, draggable: false })) : []),
    [graph, selected],
  );
  const edges = useMemo<Edge[]>(() => {
    if (!graph) return [];
    const removed = graph.removedEdges.map((e) => ({ ...e, className: "edge-removed", label: "removed", markerEnd: { type: MarkerType.ArrowClosed } }));
    return [...toEdges(graph.doc).map((e) => ({ ...e, reconnectable: false })), ...removed];
  }, [graph]);

  const options = (withWorkTree: boolean) => <RevisionOptions branches={branches} commits={commits} withWorkTree={withWorkTree} />;

  const counts = graph ? Object.values(graph.status).reduce<Record<string, number>>((acc, s) => ((acc[s] = (acc[s] ?? 0) + 1), acc), {}) : {};
  const shown = view ? view.changes.filter((c) => !selected || stepOf(c) === selected) : [];

  return (
    <div className="compare" data-testid="compare">
      <div className="compare-bar">
        <strong>Compare</strong>
        <label>
          from
          <select value={from} onChange={(e) => setFrom(e.target.value)} data-testid="compare-from">{options(false)}</select>
        </label>
        <span aria-hidden>→</span>
        <label>
          to
          <select value={to} onChange={(e) => setTo(e.target.value)} data-testid="compare-to">{options(true)}</select>
        </label>
        {busy && <span className="spinner" aria-label="comparing" />}
        <span className="legend">
          {(["added", "removed", "changed", "moved"] as DiffStatus[]).map((s) => (
            <span key={s} className={`legend-item diff-${s}`}>{counts[s] ?? 0} {s}</span>
          ))}
        </span>
        <button
          onClick={() => void ipc.saveWorkflowExport(workflow, "svg", from, to || null).catch((e) => setError(errorText(e)))}
          disabled={!view}
          title="Save this comparison as a picture (SVG) to attach to a pull request; `atelier diff --svg` makes the same"
          data-testid="compare-save-picture"
        >
          Save picture…
        </button>
        <button onClick={onClose} title="Back to editing (Esc)" data-testid="compare-close">Done</button>
      </div>
      <div className="compare-body">
        <div className="canvas" data-testid="compare-canvas">
          {error ? (
            <div className="canvas empty">{error}</div>
          ) : (
            <ReactFlow
              nodes={nodes}
              edges={edges}
              nodeTypes={nodeTypes}
              nodesConnectable={false}
              nodesDraggable={false}
              elementsSelectable
              onNodeClick={(_, n) => setSelected(n.id)}
              onPaneClick={() => setSelected(null)}
              fitView
              minZoom={0.1}
              proOptions={{ hideAttribution: true }}
            >
              <Background gap={24} />
              <Controls showInteractive={false} />
            </ReactFlow>
          )}
        </div>
        <aside className="compare-changes" data-testid="compare-changes">
          <h3>{selected ? `Step ${selected}` : "All changes"}</h3>
          {view && shown.length === 0 && <p className="muted">{selected ? "This step did not change." : "No changes between these versions."}</p>}
          <ul>
            {shown.map((c, i) => (
              <li key={i} className={`change-item diff-${c.layout ? "moved" : c.kind}`}>
                <div>{describe(c)}</div>
                {c.text_diff && (
                  <pre className="text-diff">
                    {c.text_diff.split("\n").map((l, j) => (
                      <span key={j} className={l.startsWith("+") ? "plus" : l.startsWith("-") ? "minus" : ""}>{l + "\n"}</span>
                    ))}
                  </pre>
                )}
              </li>
            ))}
          </ul>
        </aside>
      </div>
    </div>
  );
}

/** The versions a comparison can start or end at: the working tree, HEAD, branches, recent commits. */
export function RevisionOptions({ branches, commits, withWorkTree }: { branches: BranchEntry[]; commits: CommitEntry[]; withWorkTree: boolean }) {
  return (
    <>
      {withWorkTree && <option value={WORK_TREE}>Working tree (unsaved to git)</option>}
      <option value="HEAD">HEAD (last commit)</option>
      {branches.length > 0 && (
        <optgroup label="Branches">
          {branches.map((b) => (
            <option key={b.name} value={b.name}>{b.name}{b.current ? " (current)" : ""}</option>
          ))}
        </optgroup>
      )}
      {commits.length > 0 && (
        <optgroup label="Commits">
          {commits.map((c) => (
            <option key={c.id} value={c.id}>{c.id.slice(0, 7)} {c.summary}</option>
          ))}
        </optgroup>
      )}
    </>
  );
}
