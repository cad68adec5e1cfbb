// Ctrl+K: search everything as you type and open what you pick. An ARIA
// combobox: the input owns a listbox of options; arrows move the active
// option, Enter opens it, Escape closes. The search runs in Rust, over the
// project's index.
import { useEffect, useId, useRef, useState } from "react";
import { errorText, ipc, type SearchHit } from "../ipc";
import { marked } from "./addresses";

const KIND_ICON: Record<string, string> = {
  workflow: "⇢",
  step: "▣",
  "test case": "✓",
  form: "▤",
  component: "▭",
  model: "◫",
  entity: "▦",
  field: "·",
  enum: "◇",
  source: "⇄",
  policy: "§",
  secret: "⚿",
};

function Marked({ text }: { text: string }) {
  return (
    <>
      {marked(text).map((p, i) => (p.match ? <mark key={i}>{p.text}</mark> : <span key={i}>{p.text}</span>))}
    </>
  );
}

export function CommandPalette({ onOpen, onClose }: { onOpen: (address: string) => void; onClose: () => void }) {
  const [query, setQuery] = useState("");
  const [hits, setHits] = useState<SearchHit[]>([]);
  const [active, setActive] = useState(0);
  const [error, setError] = useState("");
  const [busy, setBusy] = useState(false);
  const seq = useRef(0);
  const list = useId();
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => input.current?.focus(), []);
  useEffect(() => {
    const n = ++seq.current;
    if (!query.trim()) {
      setHits([]);
      setError("");
      setBusy(false);
      return;
    }
    setBusy(true);
    ipc.search(query, 30).then(
      (r) => {
        if (n !== seq.current) return; // a later keystroke's answer is coming
        setHits(r.hits);
        setActive(0);
        setError("");
        setBusy(false);
      },
      (e) => {
        if (n === seq.current) {
          setError(errorText(e));
          setHits([]);
          setBusy(false);
        }
      },
    );
  }, [query]);
  const pick = (h: SearchHit | undefined) => {
    if (!h) return;
    onClose();
    onOpen(h.address);
  };
  const onKey = (e: React.KeyboardEvent) => {
    if (e.key === "ArrowDown") {
      e.preventDefault();
      setActive((a) => Math.max(0, Math.min(a + 1, hits.length - 1)));
    } else if (e.key === "ArrowUp") {
      e.preventDefault();
      setActive((a) => Math.max(a - 1, 0));
    } else if (e.key === "Enter") {
      e.preventDefault();
      // The hits on screen may be for what was typed before the last keystroke.
      if (!busy) pick(hits[active]);
    } else if (e.key === "Escape") {
      e.preventDefault();
      e.stopPropagation();
      onClose();
    }
  };
  useEffect(() => {
    document.getElementById(`${list}-${active}`)?.scrollIntoView?.({ block: "nearest" });
  }, [active, list]);
  return (
    <div className="modal-backdrop cmdk-backdrop" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div className="cmdk" role="dialog" aria-modal="true" aria-label="Search the project" data-testid="command-palette">
        <div className="cmdk-input">
          <span aria-hidden="true">⌕</span>
          <input
            ref={input}
            role="combobox"
            aria-expanded={hits.length > 0}
            aria-controls={list}
            aria-autocomplete="list"
            aria-activedescendant={hits.length ? `${list}-${active}` : undefined}
            aria-label="Search workflows, steps, forms, fields, sources"
            placeholder="Search workflows, steps, forms, fields, sources…"
            value={query}
            onChange={(e) => setQuery(e.target.value)}
            onKeyDown={onKey}
            data-testid="palette-input"
          />
          {busy && <span className="spinner" aria-label="Searching" />}
        </div>
        <ul id={list} role="listbox" aria-label="Matches" className="cmdk-list">
          {hits.map((h, i) => (
            <li
              key={h.address}
              id={`${list}-${i}`}
              role="option"
              aria-selected={i === active}
              className={i === active ? "active" : undefined}
              onMouseEnter={() => setActive(i)}
              onMouseDown={(e) => {
                e.preventDefault();
                pick(h);
              }}
              data-testid={`palette-hit-${h.address}`}
            >
              <span className="cmdk-icon" title={h.kind}>{KIND_ICON[h.kind] ?? "•"}</span>
              <span className="cmdk-main">
                <span className="cmdk-name">{h.name || h.address.split("/").pop()}</span>
                <span className="cmdk-address">{h.address}</span>
                {h.text.includes("\u0002") && (
                  <span className="cmdk-text">
                    <Marked text={h.text} />
                  </span>
                )}
              </span>
              <span className="cmdk-kind">{h.kind}</span>
            </li>
          ))}
        </ul>
        {error && <div className="problem error">{error}</div>}
        {!error && query.trim() && !busy && hits.length === 0 && <div className="muted cmdk-empty">Nothing matches “{query}”.</div>}
        <div className="cmdk-foot muted small">
          <span><kbd>↑</kbd> <kbd>↓</kbd> to move</span>
          <span><kbd>Enter</kbd> to open</span>
          <span><kbd>Esc</kbd> to close</span>
        </div>
      </div>
    </div>
  );
}
