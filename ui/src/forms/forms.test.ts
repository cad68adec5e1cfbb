import { describe, expect, it } from "vitest";
import type { ComponentKind, Field, FieldType, FormDoc } from "../ipc";
import { COMPONENT_KINDS, COMPONENT_PALETTE } from "./components";
import { addComponent, deleteComponent, moveComponent, ordered, resizeComponent } from "./formDoc";
import fits from "./fits.fixture.json";
import { exampleChoices } from "./ValueInput";

const doc = (): FormDoc => ({
  id: "f",
  form: { name: "F", model: "m", entity: "e", components: { a: { kind: "text_input", label: "A", field: "a" }, b: { kind: "number_input", label: "B", field: "b" } } },
  layout: { components: { a: { row: 0, column: 0, width: 6 }, b: { row: 0, column: 6, width: 6 } } },
});

describe("the component registry", () => {
  it("fits the same fields as the Rust model, for every kind", () => {
    const types: FieldType[] = ["string", "text", "integer", "decimal", "boolean", "date", "datetime", "email", "enum", "reference"];
    expect(Object.keys(fits).sort()).toEqual(Object.keys(COMPONENT_KINDS).sort());
    for (const [kind, expected] of Object.entries(fits)) {
      const ours = types.flatMap((t) => [false, true].filter((list) => COMPONENT_KINDS[kind as ComponentKind].fits({ label: "x", type: t, list } as Field)).map((list) => `${t}${list ? "[]" : ""}`));
      expect(ours, kind).toEqual(expected);
    }
    expect(COMPONENT_PALETTE).toHaveLength(Object.keys(COMPONENT_KINDS).length);
  });
});

describe("form edits", () => {
  it("adds on a taken spot by opening a row there", () => {
    const [d, id] = addComponent(doc(), "heading", 0, 0);
    expect(id).toBe("heading");
    expect(d.layout.components.heading).toEqual({ row: 0, column: 0, width: 12 });
    expect(d.layout.components.a).toEqual({ row: 1, column: 0, width: 6 });
    expect(ordered(d).map(([k]) => k)).toEqual(["heading", "a", "b"]);
  });

  it("moves into a free spot, and never leaves an empty row", () => {
    let d = moveComponent(doc(), "b", 3, 2);
    expect(d.layout.components.b).toEqual({ row: 1, column: 2, width: 6 }); // row 3 becomes row 1: no gaps
    d = deleteComponent(d, "a");
    expect(d.layout.components.b!.row).toBe(0);
    expect(d.form.components.a).toBeUndefined();
  });

  it("resizes only as far as the row has room", () => {
    expect(resizeComponent(doc(), "a", 9).layout.components.a!.width).toBe(6); // b starts at column 6
    expect(resizeComponent(doc(), "b", 0).layout.components.b!.width).toBe(1);
    const alone = moveComponent(doc(), "b", 1, 0);
    expect(resizeComponent(alone, "a", 20).layout.components.a!.width).toBe(12);
  });

  it("lists components without a place last, a row each", () => {
    const d = { ...doc(), form: { ...doc().form, components: { ...doc().form.components, loose: { kind: "divider" as const, label: "" } } } };
    expect(ordered(d).at(-1)).toEqual(["loose", { row: 1, column: 0, width: 12 }]);
    // Moving or resizing it gives it a place of its own.
    expect(moveComponent(d, "loose", 0, 0).layout.components.loose).toEqual({ row: 0, column: 0, width: 12 });
    expect(resizeComponent(d, "loose", 4).layout.components.loose).toEqual({ row: 1, column: 0, width: 4 });
  });
});

describe("reference choices in the preview", () => {
  it("offers the example records of entities with a key, in words", () => {
    const choices = exampleChoices({
      name: "M",
      entities: {
        employee: {
          name: "Employee",
          fields: { id: { label: "Id", type: "string", key: true }, name: { label: "Name", type: "string" }, email: { label: "Email", type: "email" } },
          examples: [{ id: "e-1", name: "Ada" }, { id: "e-2" }, { name: "no key" }],
        },
        keyless: { name: "K", fields: { name: { label: "N", type: "string" } }, examples: [{ name: "x" }] },
        empty: { name: "E", fields: { id: { label: "Id", type: "integer", key: true } } },
      },
    });
    expect(choices.get("employee")).toEqual([{ value: "e-1", label: "Ada (e-1)" }, { value: "e-2", label: "e-2" }]);
    expect(choices.has("keyless")).toBe(false);
    expect(choices.has("empty")).toBe(false);
  });
});
