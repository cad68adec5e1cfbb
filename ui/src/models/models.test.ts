import { describe, expect, it } from "vitest";
import type { ModelDoc } from "../ipc";
import { addEntity, addField, autoLayout, deleteEntity, deleteField, fieldOrder, inDrawnOrder, moveField, relations, renameField, setConstraint, setExamples, slug, updateField } from "./modelDoc";
import { typedCell } from "./ExamplesEditor";

const doc = (): ModelDoc => ({
  id: "m",
  model: {
    name: "M",
    entities: {
      claim: { name: "Claim", fields: { amount: { label: "Amount", type: "decimal", min: 0 }, by: { label: "By", type: "reference", entity: "person" } } },
      person: { name: "Person", fields: { name: { label: "Name", type: "string" } } },
    },
  },
  layout: { entities: {} },
});

describe("model edits", () => {
  it("adds entities and fields under fresh ids, placed in the layout only", () => {
    const [d, id] = addEntity(doc(), 10.6, 20.2);
    expect(id).toBe("entity");
    expect(d.layout.entities.entity).toEqual({ x: 11, y: 20 });
    const [d2, f] = addField(d, "entity");
    expect(f).toBe("field");
    expect(Object.keys(d2.model.entities.entity!.fields)).toEqual(["name", "field"]);
  });

  it("drops settings a new type does not have", () => {
    const d = updateField(doc(), "claim", "amount", { label: "Amount", type: "string", min: 0 } as never);
    expect(d.model.entities.claim!.fields.amount).toEqual({ label: "Amount", type: "string" });
  });

  it("draws references, and turns them into text when their entity goes", () => {
    expect(relations(doc().model).map((r) => [r.source, r.field, r.target, r.many])).toEqual([["claim", "by", "person", false]]);
    const d = deleteEntity(doc(), "person");
    expect(d.model.entities.claim!.fields.by).toEqual({ label: "By", type: "string" });
    expect(relations(d.model)).toEqual([]);
  });

  it("renames a field to a slug, refusing a taken one", () => {
    expect(Object.keys(renameField(doc(), "claim", "amount", "Total Amount").model.entities.claim!.fields)).toEqual(["total-amount", "by"]);
    expect(renameField(doc(), "claim", "amount", "by")).toEqual(doc());
    expect(slug("  Spent On! ")).toBe("spent-on");
  });

  it("keeps the fields' drawn order in the layout, and only when it is not the id order", () => {
    const order = (d: ModelDoc) => fieldOrder(d.layout.fields?.claim, d.model.entities.claim!);
    const moved = moveField(doc(), "claim", "by", -1);
    expect(moved.model).toEqual(doc().model);
    expect(moved.layout.fields).toEqual({ claim: ["by", "amount"] });
    expect(moveField(moved, "claim", "by", -1)).toBe(moved); // already first
    expect(moveField(moved, "claim", "by", 1).layout.fields).toBeUndefined(); // back to id order: nothing to keep
    const [added, f] = addField(moved, "claim");
    expect(order(added)).toEqual(["by", "amount", f]);
    const renamed = renameField(moved, "claim", "by", "author");
    expect(order(renamed)).toEqual(["author", "amount"]);
    expect(renamed.layout.fields).toEqual({ claim: ["author", "amount"] });
    expect(deleteField(renamed, "claim", "author").layout.fields).toBeUndefined();
    expect(deleteEntity(moved, "claim").layout.fields).toBeUndefined();
    expect(Object.keys(inDrawnOrder(moved).entities.claim!.fields)).toEqual(["by", "amount"]);
    // A stale or repeated name in the file is skipped; fields it does not list follow by id.
    expect(fieldOrder(["by", "gone", "by"], { name: "C", fields: { z: { label: "Z", type: "string" }, amount: { label: "A", type: "string" }, by: { label: "B", type: "string" } } })).toEqual(["by", "amount", "z"]);
  });

  it("keeps example records on the entity, typed as their fields read them", () => {
    const amount = doc().model.entities.claim!.fields.amount!;
    expect(typedCell(amount, "12.5")).toBe(12.5);
    expect(typedCell(amount, "12,5")).toBe("12,5"); // validate says what is wrong with it
    expect(typedCell(amount, "")).toBeUndefined();
    const d = setExamples(doc(), "claim", [{ amount: 12.5, by: "p-1" }]);
    expect(d.model.entities.claim!.examples).toEqual([{ amount: 12.5, by: "p-1" }]);
    expect("examples" in setExamples(d, "claim", []).model.entities.claim!).toBe(false);
  });

  it("adds, changes and removes an entity's rules about a whole record", () => {
    const d = setConstraint(doc(), "claim", "check", { kind: "check", rule: "amount > 0", message: "More than nothing." });
    expect(d.model.entities.claim!.constraints).toEqual({ check: { kind: "check", rule: "amount > 0", message: "More than nothing." } });
    const both = setConstraint(d, "claim", "unique", { kind: "unique", fields: ["amount", "by"] });
    expect(Object.keys(both.model.entities.claim!.constraints ?? {})).toEqual(["check", "unique"]);
    expect("constraints" in setConstraint(d, "claim", "check", null).model.entities.claim!).toBe(false);
  });

  it("lays out every entity along its references", () => {
    const d = autoLayout(doc());
    expect(Object.keys(d.layout.entities).sort()).toEqual(["claim", "person"]);
    expect(d.layout.entities.claim!.x).toBeLessThan(d.layout.entities.person!.x);
  });
});
