// A preview's trace comes two ways: batches on its channel while it runs, and
// the rest with the command's answer, which reaches the window sooner than a
// channel message but not in order with them. This puts them back in order.
import type { ApprovalRequest, PreviewEnd, PreviewMessage, RunResult, StepLights, TraceEvent } from "./types";

/** What a running preview tells the window. */
export type PreviewHandlers = {
  /** Its trace events, in batches, in order. */
  events: (events: TraceEvent[]) => void;
  /** How events not given yet leave the steps (a big run's answer); they follow from `ipc.previewRest`. */
  lights?: (lights: StepLights) => void;
  /** It asks the person to decide an approval, after the steps that led there. */
  ask?: (request: ApprovalRequest) => void;
  /** It is in the run history (after its result). */
  kept?: () => void;
};

/** How a preview ended, once every trace event has been given. */
export type PreviewDone = {
  result: RunResult;
  /** Real time the app took to prepare and run it, in microseconds. */
  wallUs: number;
  /** Whether its last events are still to be asked for (`ipc.previewRest`): only their lights came. */
  later: boolean;
};

export function previewReceiver(on: PreviewHandlers) {
  let received = 0;
  let caughtUp = () => {};
  return {
    /** A message from the run's channel. */
    message(m: PreviewMessage) {
      if (m === "kept") return on.kept?.();
      if ("ask" in m) return on.ask?.(m.ask);
      on.events(m.events);
      received += 1;
      caughtUp();
    },
    /** The command's answer: its events, then its result, follow the batches sent before it. */
    end(end: PreviewEnd): Promise<PreviewDone> {
      return new Promise((resolve) => {
        caughtUp = () => {
          if (received < end.batches) return;
          caughtUp = () => {};
          if (end.events.length) on.events(end.events);
          if (end.lights) on.lights?.(end.lights);
          resolve({ result: end.result, wallUs: end.wall_us, later: end.lights !== null });
        };
        caughtUp();
      });
    },
  };
}
