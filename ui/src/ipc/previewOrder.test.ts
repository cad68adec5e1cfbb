import { describe, expect, it } from "vitest";
import { previewReceiver, type PreviewDone } from "./previewOrder";
import type { RunResult, TraceEvent } from "./types";

const waited = (step: string): TraceEvent => ({ event: "waited", step, ms: 0 });
const result: RunResult = { status: "completed", end_step: "done", output: null, error: null, attempts: 2, duration_ms: 0 };

function receiver() {
  const seen: string[] = [];
  let kept = 0;
  const r = previewReceiver({
    events: (events) => seen.push(events.map((e) => (e.event === "waited" ? e.step : e.event)).join(",")),
    lights: (lights) => seen.push(`lights ok ${lights.ok.join(",")}`),
    ask: (request) => seen.push(`ask ${request.step}`),
    kept: () => (kept += 1),
  });
  return { r, seen, kept: () => kept };
}

describe("previewReceiver", () => {
  it("shows an answer that overtook its batches after them, then resolves", async () => {
    const { r, seen } = receiver();
    r.message({ events: [waited("a")] });
    let done: PreviewDone | null = null;
    void r.end({ batches: 2, events: [waited("c")], lights: null, result, wall_us: 5 }).then((x) => (done = x));
    await Promise.resolve();
    expect(seen).toEqual(["a"]);
    expect(done).toBeNull();
    r.message({ events: [waited("b")] });
    await Promise.resolve();
    expect(seen).toEqual(["a", "b", "c"]);
    expect(done).toEqual({ result, wallUs: 5, later: false });
  });

  it("resolves at once when every batch came before the answer, asks in turn, and says when the run is kept", async () => {
    const { r, seen, kept } = receiver();
    r.message({ events: [waited("a")] });
    r.message({ ask: { step: "boss", name: "Boss", prompt: "", approvers: [], state: {} } });
    expect(await r.end({ batches: 1, events: [], lights: null, result, wall_us: 7 })).toEqual({ result, wallUs: 7, later: false });
    expect(seen).toEqual(["a", "ask boss"]);
    r.message("kept");
    expect(kept()).toBe(1);
  });

  it("gives a big run's lights after the batches before it, and says its events come later", async () => {
    const { r, seen } = receiver();
    let done: PreviewDone | null = null;
    void r.end({ batches: 1, events: [], lights: { running: [], ok: ["b", "c"], error: [] }, result, wall_us: 9 }).then((x) => (done = x));
    await Promise.resolve();
    expect(seen, "nothing before the batch that came first").toEqual([]);
    r.message({ events: [waited("a")] });
    await Promise.resolve();
    expect(seen).toEqual(["a", "lights ok b,c"]);
    expect(done).toEqual({ result, wallUs: 9, later: true });
  });
});
