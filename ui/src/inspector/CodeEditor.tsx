// A CodeMirror 6 editor for step scripts, with syntax errors shown inline
// (from the JavaScript parser's own error nodes: nothing is evaluated).
import { useEffect, useRef } from "react";
import { EditorView, basicSetup } from "codemirror";
import { javascript } from "@codemirror/lang-javascript";
import { linter, lintGutter, type Diagnostic } from "@codemirror/lint";
import { syntaxTree } from "@codemirror/language";
import { Annotation, Transaction } from "@codemirror/state";

/** Marks a change that came from outside the editor (the app's undo, a reload). */
const fromOutside = Annotation.define<boolean>();

export function syntaxErrors(view: EditorView): Diagnostic[] {
  const out: Diagnostic[] = [];
  syntaxTree(view.state).iterate({
    enter: (n) => {
      if (n.type.isError) {
        const from = n.from;
        const to = Math.max(n.to, Math.min(view.state.doc.length, from + 1));
        out.push({ from, to, severity: "error", message: "Syntax error" });
      }
    },
  });
  return out;
}

export function CodeEditor({ value, onChange, label }: { value: string; onChange: (v: string) => void; label: string }) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const change = useRef(onChange);
  change.current = onChange;

  useEffect(() => {
    const v = new EditorView({
      doc: value,
      parent: host.current!,
      extensions: [
        basicSetup,
        javascript(),
        lintGutter(),
        linter(syntaxErrors, { delay: 300 }),
        EditorView.updateListener.of((u) => {
          // Only the person's own typing is an edit: echoing the app's undo
          // back as a new edit would throw its redo away.
          if (u.docChanged && !u.transactions.some((t) => t.annotation(fromOutside))) change.current(u.state.doc.toString());
        }),
        EditorView.contentAttributes.of({ "aria-label": label }),
      ],
    });
    view.current = v;
    return () => v.destroy();
    // The editor is made once per step; outside changes (undo) are synced below.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  useEffect(() => {
    const v = view.current;
    if (v && v.state.doc.toString() !== value) {
      v.dispatch({
        changes: { from: 0, to: v.state.doc.length, insert: value },
        annotations: [fromOutside.of(true), Transaction.addToHistory.of(false)],
      });
    }
  }, [value]);

  return <div className="code-editor" ref={host} data-testid="code-editor" />;
}
