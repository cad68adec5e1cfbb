// The problems list; clicking one selects the step it is about.
import type { Problem } from "../ipc";
import { useEditor, stepOfProblem } from "../store";

const NONE: Problem[] = [];

export function Problems({ onJump }: { onJump: (workflow: string | null, step: string | null) => void }) {
  const problems = useEditor((s) => s.info?.problems ?? NONE);
  if (problems.length === 0) return <div className="muted small">No problems.</div>;
  return (
    <ul className="problems" data-testid="problems">
      {problems.map((p, i) => {
        const wf = /^workflows\/([^/]+)\//.exec(p.file)?.[1] ?? null;
        return (
          <li key={i} className={p.severity}>
            <button className="link" onClick={() => onJump(wf, stepOfProblem(p))}>
              <strong>{p.severity}</strong> {p.file}{p.element ? ` ${p.element}` : ""}: {p.message}
            </button>
          </li>
        );
      })}
    </ul>
  );
}
