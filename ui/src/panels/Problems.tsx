// The problems list; clicking one opens what it is about in its designer and
// selects the element: a workflow's step, a model's entity, a form's component.
import type { Problem } from "../ipc";
import { useEditor, stepOfProblem } from "../store";

const NONE: Problem[] = [];

/** Where a problem is, as the designers open it. */
export type Jump = { kind: "workflow" | "model" | "form" | "source"; id: string; select: string | null; field?: string };

export function jumpOf(p: Problem): Jump | null {
  const wf = /^workflows\/([^/]+)\//.exec(p.file);
  if (wf) return { kind: "workflow", id: wf[1]!, select: stepOfProblem(p) };
  const model = /^models\/([^/.]+)(\.layout)?\.json$/.exec(p.file);
  if (model) {
    const e = /^\/entities\/([^/]+)/.exec(p.element ?? "");
    return { kind: "model", id: model[1]!, select: e ? `entity:${e[1]}` : null };
  }
  const form = /^forms\/([^/]+)\//.exec(p.file);
  if (form) {
    const c = /^\/components\/([^/]+)/.exec(p.element ?? "");
    return { kind: "form", id: form[1]!, select: c ? c[1]! : null };
  }
  const source = /^sources\/([^/.]+)\.json$/.exec(p.file);
  if (source) return { kind: "source", id: source[1]!, select: null };
  return null;
}

export function Problems({ onJump }: { onJump: (to: Jump) => void }) {
  const problems = useEditor((s) => s.info?.problems ?? NONE);
  if (problems.length === 0) return <div className="muted small">No problems.</div>;
  return (
    <ul className="problems" data-testid="problems">
      {problems.map((p, i) => {
        const to = jumpOf(p);
        return (
          <li key={i} className={p.severity}>
            <button className="link" onClick={() => to && onJump(to)} disabled={!to}>
              <strong>{p.severity}</strong> {p.file}{p.element ? ` ${p.element}` : ""}: {p.message}
            </button>
          </li>
        );
      })}
    </ul>
  );
}
