import { describe, expect, it } from "vitest";
import { guessFormat } from "./ImportDialog";

describe("the import dialog's guess of a file's format", () => {
  it("tells the four kinds of file apart", () => {
    expect(guessFormat("order.bpmn", "<?xml version")).toBe("bpmn");
    expect(guessFormat("x.xml", "  <bpmn:definitions")).toBe("bpmn");
    expect(guessFormat("api.yaml", "openapi: 3.1.0\ninfo:")).toBe("openapi");
    expect(guessFormat("api.json", '{"openapi": "3.0.3"}')).toBe("openapi");
    expect(guessFormat("flows.json", '[{"id": "a1", "type": "inject"}]')).toBe("node-red");
    expect(guessFormat("wf.json", '{"nodes": [], "connections": {}}')).toBe("n8n");
  });
});
