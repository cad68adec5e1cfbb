// A sub-run (a for_each item, a sub_workflow call) is traced under its
// caller with `within` (`lines[2]/notify`). These helpers find the workflow
// a sub-run walked and rebase its events, so the called workflow's canvas
// can show that run as if it were its own.
import type { TraceEvent, WorkflowDoc } from "../ipc";

/** The step of the open workflow that called a sub-run: `lines` of `lines[2]/notify`. */
export function callerOf(within: string | null | undefined): string | null {
  return within ? within.split("/")[0]!.replace(/\[\d+\]$/, "") : null;
}

/** Where an event belongs: its `within`, or `null` for the workflow itself. */
export function withinOf(e: TraceEvent): string | null {
  return e.event === "step_started" || e.event === "step_finished" || e.event === "waited" ? (e.within ?? null) : null;
}

/**
 * The events of the sub-run `within`, and of the runs it called in turn,
 * with `within` made relative to it: its own steps' events have none.
 */
export function subRunEvents(trace: TraceEvent[], within: string): TraceEvent[] {
  const out: TraceEvent[] = [];
  for (const e of trace) {
    const w = withinOf(e);
    if (w === within) out.push({ ...e, within: undefined } as TraceEvent);
    else if (w?.startsWith(within + "/")) out.push({ ...e, within: w.slice(within.length + 1) } as TraceEvent);
  }
  return out;
}

/** The workflow a calling step (`for_each`, `sub_workflow`) of `doc` runs, if it names one. */
export function calledBy(doc: WorkflowDoc, step: string): string | null {
  const s = doc.workflow.steps[step];
  return s && (s.kind === "for_each" || s.kind === "sub_workflow") ? (s.workflow ?? null) : null;
}

/**
 * The workflow the sub-run `within` walked, starting from the open `doc`:
 * each part of `within` names a calling step of the workflow before it.
 * `load` reads a workflow that is not open. Null when a part names no call.
 */
export async function workflowOfSubRun(doc: WorkflowDoc, within: string, load: (id: string) => Promise<WorkflowDoc>): Promise<string | null> {
  let at = doc;
  let called: string | null = null;
  const parts = within.split("/");
  for (let i = 0; i < parts.length; i++) {
    called = calledBy(at, callerOf(parts[i]!)!);
    if (!called) return null;
    if (i + 1 < parts.length) at = await load(called);
  }
  return called;
}
