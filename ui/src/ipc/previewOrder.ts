// A preview's trace comes two ways: batches on its channel while it runs, and
// the rest with the command's answer, which reaches the window sooner than a
// channel message but not in order with them. This puts them back in order.
import type { PreviewEnd, PreviewMessage, RunResult, TraceEvent } from "./types";

export function previewReceiver(onEvents: (events: TraceEvent[]) => void, onKept: () => void) {
  let received = 0;
  let caughtUp = () => {};
  return {
    /** A message from the run's channel. */
    message(m: PreviewMessage) {
      if (m === "kept") return onKept();
      onEvents(m.events);
      received += 1;
      caughtUp();
    },
    /** The command's answer: its events and result follow the batches sent before it. */
    end(end: PreviewEnd): Promise<RunResult> {
      return new Promise((resolve) => {
        caughtUp = () => {
          if (received < end.batches) return;
          caughtUp = () => {};
          if (end.events.length) onEvents(end.events);
          resolve(end.result);
        };
        caughtUp();
      });
    },
  };
}
