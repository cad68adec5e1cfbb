import { afterEach, describe, expect, it, vi } from "vitest";
import { act, cleanup, renderHook } from "@testing-library/react";
import type { FormDoc, FormState, FormStateChange, JsonValue } from "../ipc";

// Each call waits until the test answers it, so the test decides what is in flight.
type Pending = { name: string; args: unknown[]; answer: (v: unknown) => void; fail: (e: unknown) => void };
const calls: Pending[] = [];
function deferred(name: string) {
  return (...args: unknown[]) => new Promise((answer, fail) => calls.push({ name, args, answer, fail }));
}
vi.mock("../ipc", () => ({
  ipc: { openFormPreview: deferred("open"), formPreviewInput: deferred("input") },
  errorText: (e: { message: string }) => e.message,
}));

import { applyChange, useFormState } from "./useFormState";

const doc = { id: "f", form: { name: "F", model: "m", entity: "e", components: {} }, layout: { components: {} } } as unknown as FormDoc;
const shown = (error?: string) => ({ visible: true, read_only: false, label: "A", help: "", placeholder: "", ...(error ? { error } : {}) });
const full: FormState = { title: "F", submit_label: "Submit", components: { a: shown("Required."), b: shown() }, errors: [], valid: false, record: {} };

afterEach(() => {
  cleanup();
  calls.length = 0;
});

async function settle(i: number, v: unknown) {
  await act(async () => calls[i]!.answer(v));
}

describe("the form preview's state", () => {
  it("opens once, then sends only data, one request at a time, folding keystrokes typed meanwhile into the latest", async () => {
    const { result, rerender } = renderHook(({ data }: { data: JsonValue }) => useFormState(doc, data, null), { initialProps: { data: {} } });
    expect(calls.map((c) => c.name)).toEqual(["open"]);
    rerender({ data: { a: "x" } });
    rerender({ data: { a: "xy" } });
    expect(calls).toHaveLength(1); // the open is still in flight
    await settle(0, full);
    expect(calls.map((c) => c.name)).toEqual(["open", "input"]);
    expect(calls[1]!.args[0]).toEqual({ a: "xy" }); // "x" was never sent
    const change: FormStateChange = { title: "F", submit_label: "Submit", components: { a: shown() }, errors: [], valid: true, record: { a: "xy" } };
    await settle(1, change);
    expect(result.current.state?.components.a?.error).toBeUndefined();
    expect(result.current.state?.components.b).toEqual(full.components.b);
    expect(result.current.state?.valid).toBe(true);
    expect(calls).toHaveLength(2);
  });

  it("opens again after a failure, since Rust's last answer is then unknown", async () => {
    const { result, rerender } = renderHook(({ data }: { data: JsonValue }) => useFormState(doc, data, null), { initialProps: { data: {} } });
    await settle(0, full);
    rerender({ data: { a: 1 } });
    await act(async () => calls[1]!.fail({ message: "model `m` does not exist" }));
    expect(result.current.error).toBe("model `m` does not exist");
    rerender({ data: { a: 2 } });
    expect(calls[2]!.name).toBe("open");
  });

  it("applies a change over the state it knows", () => {
    const s = applyChange(full, { title: "F", submit_label: "Send", components: { b: shown("Too long.") }, errors: ["x"], valid: false, record: { b: "…" } });
    expect(s.components.a).toEqual(full.components.a);
    expect(s.components.b?.error).toBe("Too long.");
    expect(s.errors).toEqual(["x"]);
    expect(s.submit_label).toBe("Send");
  });
});
