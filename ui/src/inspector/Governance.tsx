// The project's governance rules where they apply: on a workflow or a source,
// each rule for its kind with whether this one meets it (the Problems tab
// says why not).
import { useEditor } from "../store";

/** The rules for `appliesTo` (`workflows`, `sources`), each marked met or broken by `file`. */
export function Governance({ appliesTo, file }: { appliesTo: "workflows" | "sources"; file: string }) {
  const rules = useEditor((s) => s.info?.rules);
  const mine = (rules ?? []).filter((r) => r.applies_to === appliesTo);
  if (mine.length === 0) return null;
  return (
    <section className="governance" data-testid="governance">
      <h3>Governance</h3>
      <ul>
        {mine.map((r) => {
          const broken = r.broken_by.includes(file);
          return (
            <li key={`${r.policy}/${r.rule}`} className={broken ? r.severity : "ok"} title={`${r.policy_name} (${r.policy}), rule ${r.rule}`} data-testid={`rule-${r.rule}`}>
              <span className="governance-mark" aria-label={broken ? (r.severity === "error" ? "broken" : "warning") : "met"}>{broken ? (r.severity === "error" ? "✕" : "!") : "✓"}</span>
              <span>
                {r.description || r.asks}
                {r.description && <span className="muted small"> · {r.asks}</span>}
              </span>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
