// The form preview's state, asked of Rust. The form goes over once when the
// preview opens (and again when the designer changes it); each keystroke then
// sends only the data, and the answer carries only the components whose state
// changed. Those answers are changes, so they must be applied in the order
// Rust made them: one request is in flight at a time, and keystrokes typed
// meanwhile are folded into the next request (only the latest data is sent).
import { useCallback, useEffect, useRef, useState } from "react";
import { errorText, ipc, type FormDoc, type FormState, type FormStateChange, type JsonValue } from "../ipc";

/** How long the last keystrokes took to their new state (for the benchmarks). */
declare global {
  interface Window {
    __formLatencyMs?: number[];
    /** Set by a benchmark: each answer's split, keystroke → request sent → answer in. */
    __formSplits?: { before: number; ipc: number }[];
  }
}

type Ask = { doc: FormDoc; data: JsonValue; language: string | null };

export function applyChange(s: FormState, c: FormStateChange): FormState {
  return { ...c, components: { ...s.components, ...c.components } };
}

/** The state of `doc` with `data` entered in `language`; `typed()` marks a keystroke for the latency record. */
export function useFormState(doc: FormDoc, data: JsonValue, language: string | null) {
  const [state, setState] = useState<FormState | null>(null);
  const [error, setError] = useState("");
  const busy = useRef(false);
  const next = useRef<Ask | null>(null);
  // The form Rust's preview holds, or null when it must be opened again.
  const opened = useRef<FormDoc | null>(null);
  const typedAt = useRef(0);
  const pump = useCallback(() => {
    const ask = next.current;
    if (busy.current || !ask) return;
    next.current = null;
    busy.current = true;
    const sentAt = performance.now();
    const answer =
      opened.current === ask.doc
        ? ipc.formPreviewInput(ask.data, ask.language).then((c) => setState((s) => (s ? applyChange(s, c) : s)))
        : ipc.openFormPreview(ask.doc, ask.data, ask.language).then((s) => {
            opened.current = ask.doc;
            setState(s);
          });
    answer
      .then(
        () => {
          setError("");
          if (typedAt.current && !next.current) {
            const now = performance.now();
            window.__formSplits?.push({ before: sentAt - typedAt.current, ipc: now - sentAt });
            (window.__formLatencyMs ??= []).push(now - typedAt.current);
            typedAt.current = 0;
          }
        },
        (e) => {
          opened.current = null; // start afresh with the next request
          setError(errorText(e));
        },
      )
      .finally(() => {
        busy.current = false;
        pump();
      });
  }, []);
  useEffect(() => {
    next.current = { doc, data, language };
    pump();
  }, [doc, data, language, pump]);
  const typed = useCallback(() => {
    if (!typedAt.current) typedAt.current = performance.now();
  }, []);
  return { state, error, typed };
}
