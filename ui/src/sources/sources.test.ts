import { describe, expect, it } from "vitest";
import type { SourceDoc } from "../ipc";
import { defaultSecret, headerRows, secretName, withAuthKind, withHeaders, withOperation, withoutOperation } from "./sourceDoc";

const doc = (): SourceDoc => ({
  id: "fx-rates",
  source: {
    name: "FX",
    base_url: "https://fx.example.com",
    headers: { Accept: "application/json" },
    operations: { latest: { method: "GET", path: "/latest" }, convert: { method: "POST", path: "/convert" } },
  },
});

describe("source edits", () => {
  it("switches the auth scheme, keeping a chosen secret's name", () => {
    const key = withAuthKind(doc(), "api_key");
    expect(key.source.auth).toEqual({ kind: "api_key", secret: "FX_RATES_API_KEY", header: "X-Api-Key" });
    expect(withAuthKind(key, "basic").source.auth).toEqual({ kind: "basic", secret: "FX_RATES_API_KEY", username: "" });
    expect(withAuthKind(key, "none").source.auth).toEqual({ kind: "none" });
    expect(defaultSecret("fx-rates", "bearer")).toBe("FX_RATES_TOKEN");
    expect(secretName("my key-2")).toBe("MY_KEY_2");
  });

  it("edits headers as rows: an empty name drops its row, and no rows leave no headers key", () => {
    expect(headerRows(doc().source)).toEqual([["Accept", "application/json"]]);
    expect(withHeaders(doc(), [["Accept", "text/csv"], ["", "lost"], [" X-Trace ", "1"]]).source.headers).toEqual({ Accept: "text/csv", "X-Trace": "1" });
    expect("headers" in withHeaders(doc(), []).source).toBe(false);
  });

  it("removes an operation, and adds one by hand with its path parameters", () => {
    expect(Object.keys(withoutOperation(doc(), "latest").source.operations ?? {})).toEqual(["convert"]);
    const [d, id] = withOperation(doc(), "GET", "rates/{currency}", " One rate ");
    expect(id).toBe("get-rates-currency");
    expect(d.source.operations?.[id]).toEqual({ method: "GET", path: "/rates/{currency}", summary: "One rate", parameters: [{ name: "currency", in: "path", required: true }] });
    const [d2, id2] = withOperation(d, "GET", "/rates/{currency}", "");
    expect(id2).toBe("get-rates-currency-2");
    expect(d2.source.operations?.[id2]).toEqual({ method: "GET", path: "/rates/{currency}", parameters: [{ name: "currency", in: "path", required: true }] });
    expect(withOperation(doc(), "POST", "/convert", "")[0].source.operations?.["post-convert"]?.body).toBe("optional");
  });
});
