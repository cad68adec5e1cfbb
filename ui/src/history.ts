// Undo history over snapshots of a document, shared by every editor: the
// person's own edits are recorded, a run of edits with the same group (a
// drag, typing in one field) is one step, and at most LIMIT steps are kept.
export type History<D> = { past: D[]; future: D[]; group: string | null };

const LIMIT = 200;

export const emptyHistory = <D,>(): History<D> => ({ past: [], future: [], group: null });

/** The history after an edit of `doc` (the document before it) in `group`. */
export function recorded<D>(h: History<D>, doc: D, group?: string): History<D> {
  const grouped = group !== undefined && h.group === group;
  return { past: grouped ? h.past : [...h.past, doc].slice(-LIMIT), future: [], group: group ?? null };
}

/** The document one step back from `doc`, and the history then; none at the start. */
export function undone<D>(h: History<D>, doc: D): [D, History<D>] | null {
  const prev = h.past[h.past.length - 1];
  if (prev === undefined) return null;
  return [prev, { past: h.past.slice(0, -1), future: [doc, ...h.future], group: null }];
}

/** The document one step forward from `doc`, and the history then; none at the end. */
export function redone<D>(h: History<D>, doc: D): [D, History<D>] | null {
  const next = h.future[0];
  if (next === undefined) return null;
  return [next, { past: [...h.past, doc], future: h.future.slice(1), group: null }];
}
