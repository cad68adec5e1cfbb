// End-to-end tests of the model and form designers in the real app: draw an
// entity with fields and a reference, import a SQL schema, build a form bound
// to a model, fill it in (a wrong value shows its message), and submit it to
// see the workflow it starts run with that data.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { exampleRepo, launch, byTest, shot, text, waitFor, openFolder } from "./harness.mjs";

/** Sets an input's value the way the page's own events see it (React listens for `input`). */
async function setInput(browser, el, value) {
  await browser.execute(
    (node, v) => {
      Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, "value").set.call(node, v);
      node.dispatchEvent(new Event("input", { bubbles: true }));
    },
    el,
    value,
  );
}

test("a data model: add an entity with fields and a reference, save; import a SQL schema", async () => {
  const { browser, close } = await launch();
  try {
    const dir = exampleRepo();
    await openFolder(browser, dir);
    await (await byTest(browser, "explorer-expense")).click();
    await (await byTest(browser, "entity-claim")).waitForDisplayed();
    await waitFor(browser, "the title names the model", async () => /Model · Expenses/.test(await text(browser, "title")));
    await shot(browser, "20-model-designer");
    // An entity's example records: the employees the claim form's preview offers.
    await (await byTest(browser, "entity-employee")).click();
    await (await byTest(browser, "example-1")).waitForDisplayed();
    assert.deepEqual(await browser.execute(() => [...document.querySelectorAll('[data-testid="field-grid"] [data-testid^="field-row-"]')].map((r) => r.dataset.testid.slice(10))), ["id", "name", "email", "department"]);
    await shot(browser, "20b-entity-examples");
    // The claim's rules about a whole record: its check, and a new one.
    await (await byTest(browser, "entity-claim")).click();
    await (await byTest(browser, "constraint-positive-amount")).waitForDisplayed();
    await (await byTest(browser, "add-check")).click();
    const check = await byTest(browser, "constraint-check");
    await (await check.$('[data-testid="check-rule"]')).setValue("amount <= 1000 || description");
    await (await check.$('[data-testid="check-message"]')).setValue("Say what a claim above 1,000 was for.");
    await shot(browser, "20c-entity-check-rules");
    // A claim's example record is edited as each field's type asks: a choice
    // list's options, the employees' example records, a date.
    await (await browser.$('[data-testid="examples"] summary')).click();
    await (await byTest(browser, "add-example")).scrollIntoView();
    await (await byTest(browser, "add-example")).click();
    const cell = (f) => browser.$(`[aria-label="Example 1: ${f}"]`);
    assert.equal(await (await cell("category")).getTagName(), "select");
    await (await cell("category")).selectByAttribute("value", "meals");
    await (await cell("employee")).selectByVisibleText("Ada Lovelace (e-1042)");
    assert.equal(await (await cell("spent-on")).getAttribute("type"), "date");
    await (await byTest(browser, "example-0")).scrollIntoView();
    await shot(browser, "20d-example-record-cells");
    // WebKitWebDriver calls this button, in a row that scrolls sideways, not
    // interactable although it shows (screenshot 20d): it is clicked in the page.
    await browser.execute((b) => b.click(), await browser.$('[aria-label="Delete example 1"]'));
    await (await byTest(browser, "example-0")).waitForDisplayed({ reverse: true });

    // A new entity, renamed, with a field that refers to an employee.
    await (await byTest(browser, "add-entity")).click();
    await (await byTest(browser, "entity-entity")).waitForDisplayed();
    await (await byTest(browser, "entity-name")).setValue("Receipt");
    await (await byTest(browser, "add-field")).click();
    const row = await byTest(browser, "field-row-field");
    await row.waitForDisplayed();
    await (await row.$('[data-testid="field-label"]')).setValue("Uploaded by");
    await (await row.$('[data-testid="field-type"]')).selectByAttribute("value", "reference");
    await (await byTest(browser, "field-entity")).selectByAttribute("value", "employee");
    await (await byTest(browser, "dirty")).waitForDisplayed();
    await shot(browser, "21-entity-with-reference");
    await (await byTest(browser, "save")).click();
    await (await byTest(browser, "dirty")).waitForDisplayed({ reverse: true });
    // Compare: the model's changes since the last commit, in the diff's words.
    await (await byTest(browser, "compare-button")).click();
    await waitFor(browser, "the comparison lists the new field", async () => /field field of entity entity/.test(await text(browser, "compare-changes")) || /entity entity added/.test(await text(browser, "compare-changes")));
    // The picture `atelier diff --svg` writes, the new entity marked, above the list.
    const picture = await browser.$('[data-testid="compare-picture"] img');
    await picture.waitForDisplayed({ timeout: 10000 });
    await waitFor(browser, "the picture is drawn", async () => (await picture.getProperty("naturalWidth")) > 400);
    await shot(browser, "21b-model-compare");
    await (await byTest(browser, "compare-close")).click();
    const model = JSON.parse(readFileSync(join(dir, "models/expense.json"), "utf8"));
    assert.deepEqual(model.entities.claim.constraints.check, { kind: "check", rule: "amount <= 1000 || description", message: "Say what a claim above 1,000 was for." });
    assert.deepEqual(model.entities.entity.fields.field, { label: "Uploaded by", type: "reference", entity: "employee" });
    assert.equal(model.entities.entity.name, "Receipt");
    const layout = JSON.parse(readFileSync(join(dir, "models/expense.layout.json"), "utf8"));
    assert.ok(layout.entities.entity, "the new entity's place is in the layout file, not the model");

    // Import a schema from SQL.
    await (await byTest(browser, "import-model")).click();
    await (await byTest(browser, "import-dialog")).waitForDisplayed();
    await (await byTest(browser, "import-id")).setValue("shop");
    await (await byTest(browser, "import-text")).setValue(
      "CREATE TABLE customer (id SERIAL PRIMARY KEY, email VARCHAR(200) NOT NULL UNIQUE);\n" +
        "CREATE TABLE orders (id SERIAL PRIMARY KEY, customer_id INT REFERENCES customer(id), total NUMERIC(10,2) DEFAULT 0);",
    );
    await (await byTest(browser, "import-run")).click();
    await (await byTest(browser, "import-report")).waitForDisplayed();
    assert.match(await text(browser, "import-report"), /Imported 2 entities into models\/shop\.json/);
    await shot(browser, "22-imported-sql");
    await browser.keys("Escape");
    await (await byTest(browser, "entity-orders")).waitForDisplayed();
    await waitFor(browser, "the title names the imported model", async () => /Model · shop/.test(await text(browser, "title")));
    const shop = JSON.parse(readFileSync(join(dir, "models/shop.json"), "utf8"));
    assert.equal(shop.entities.orders.fields["customer-id"].type, "reference");
    assert.equal(shop.entities.orders.fields["customer-id"].entity, "customer");
    // Columns in the order the SQL wrote them, not by id; ↑ in the grid reorders them.
    const columns = (entity) => browser.execute((e) => [...document.querySelectorAll(`[data-testid="entity-${e}"] .field-name`)].map((n) => n.textContent), entity);
    assert.deepEqual(await columns("orders"), ["id", "customer-id", "total"]);
    await (await byTest(browser, "layout")).click();
    await (await byTest(browser, "entity-orders")).click();
    await (await (await byTest(browser, "field-row-total")).$('[data-testid="field-up"]')).click();
    await waitFor(browser, "the canvas draws the new order", async () => (await columns("orders")).join() === "id,total,customer-id");
    assert.deepEqual(await browser.execute(() => [...document.querySelectorAll('[data-testid^="field-row-"]')].map((r) => r.dataset.testid)), ["field-row-id", "field-row-total", "field-row-customer-id"]);
    await shot(browser, "23-imported-laid-out");
    await (await byTest(browser, "save")).click();
    await (await byTest(browser, "dirty")).waitForDisplayed({ reverse: true });
    assert.ok(existsSync(join(dir, "models/shop.layout.json")));
    assert.deepEqual(JSON.parse(readFileSync(join(dir, "models/shop.layout.json"), "utf8")).fields.orders, ["id", "total", "customer-id"]);

    // Someone else edits the model (an editor, a pull): the untouched designer reloads it.
    const file = join(dir, "models/shop.json");
    const edited = JSON.parse(readFileSync(file, "utf8"));
    edited.entities.customer.fields.nickname = { label: "Nickname", type: "string" };
    writeFileSync(file, JSON.stringify(edited, null, 2) + "\n");
    await waitFor(browser, "the designer shows the field added on disk", async () => /nickname/.test(await text(browser, "entity-customer")));
  } finally {
    await close();
  }
});

test("a form: bind a component, fill it in with a wrong value, then submit it to the workflow it starts", async () => {
  const { browser, close } = await launch();
  try {
    const dir = exampleRepo();
    await openFolder(browser, dir);
    await (await byTest(browser, "explorer-expense-claim")).click();
    await (await byTest(browser, "placed-amount")).waitForDisplayed();
    await waitFor(browser, "the title names the form", async () => /Form · Expense claim/.test(await text(browser, "title")));
    await shot(browser, "24-form-designer");

    // A new text area bound to the description field... the form already has one; add a heading and a checkbox-less help text.
    await (await byTest(browser, "add-component-heading")).click();
    await (await byTest(browser, "component-label")).setValue("About the expense");
    await (await byTest(browser, "placed-heading")).waitForDisplayed();

    // The amount gets a rule with its own message.
    await (await byTest(browser, "placed-amount")).click();
    await (await byTest(browser, "add-rule")).click();
    const rules = await byTest(browser, "rules");
    await (await rules.$('select[aria-label="Rule"]')).selectByAttribute("value", "max");
    await (await rules.$('input[aria-label="Value"]')).setValue("5000");
    await (await rules.$('[data-testid="rule-message"]')).setValue("Claims above 5,000 need a purchase order.");
    await shot(browser, "25-component-rule");
    await (await byTest(browser, "save")).click();
    await (await byTest(browser, "dirty")).waitForDisplayed({ reverse: true });
    const form = JSON.parse(readFileSync(join(dir, "forms/expense-claim/form.json"), "utf8"));
    assert.deepEqual(form.components.amount.rules, [{ kind: "max", value: 5000, message: "Claims above 5,000 need a purchase order." }]);

    // The description shows only once an amount is filled in (a condition built, not typed).
    await (await byTest(browser, "placed-description")).click();
    await (await byTest(browser, "visible-if-add")).click();
    // A new term starts on the first field in the model's drawn order (the employee); the amount is chosen.
    const termField = await (await byTest(browser, "visible-if")).$('select[aria-label="Field"]');
    assert.equal(await termField.getValue(), "employee");
    await termField.selectByAttribute("value", "amount");
    await (await byTest(browser, "save")).click();
    await (await byTest(browser, "dirty")).waitForDisplayed({ reverse: true });
    const conditioned = JSON.parse(readFileSync(join(dir, "forms/expense-claim/form.json"), "utf8"));
    assert.deepEqual(conditioned.components.description.visible_if, { op: "filled", field: "amount" });

    // Moving a component touches only the layout file.
    await (await byTest(browser, "placed-intro")).click();
    await browser.keys("ArrowDown");
    await (await byTest(browser, "dirty")).waitForDisplayed();
    await (await byTest(browser, "save")).click();
    await waitFor(browser, "only the layout was written", async () => (await text(browser, "status")) === "Saved forms/expense-claim/layout.json");

    // Fill it in.
    await (await byTest(browser, "form-preview-button")).click();
    await (await byTest(browser, "form-preview")).waitForDisplayed();
    await (await byTest(browser, "fill-employee")).waitForDisplayed();
    assert.equal(await (await byTest(browser, "fill-description")).isExisting(), false, "hidden until an amount is given");
    await (await byTest(browser, "fill-amount")).setValue("9000");
    await (await byTest(browser, "fill-description")).waitForDisplayed();
    await (await byTest(browser, "error-amount")).waitForDisplayed();
    assert.equal(await text(browser, "error-amount"), "Claims above 5,000 need a purchase order.");
    await shot(browser, "26-form-wrong-value");
    await (await byTest(browser, "fill-amount")).setValue("120");
    await (await byTest(browser, "error-amount")).waitForDisplayed({ reverse: true });
    await (await byTest(browser, "fill-currency")).selectByAttribute("value", "USD");
    await (await byTest(browser, "fill-category")).selectByAttribute("value", "meals");
    // The employee is chosen among the model's example records, by name.
    const employees = await browser.execute(() => [...document.querySelectorAll('[data-testid="fill-employee"] option')].map((o) => o.textContent));
    assert.deepEqual(employees, ["—", "Ada Lovelace (e-1042)", "Grace Hopper (e-2001)"]);
    await (await byTest(browser, "fill-employee")).selectByAttribute("value", "e-1042");
    // A date field takes typing segment by segment, in the machine's locale: set it as a person's picker would.
    await setInput(browser, await byTest(browser, "fill-spent-on"), "2026-11-02");
    await shot(browser, "27-form-filled");
    // The preview speaks German: the components' texts, the form's name and its button.
    await (await byTest(browser, "preview-language")).selectByAttribute("value", "de");
    await waitFor(browser, "the form's own texts are translated", async () => (await text(browser, "form-title")) === "Spesenantrag" && (await text(browser, "form-submit")) === "Antrag einreichen");
    assert.match(await text(browser, "form-preview"), /Betrag/);
    await shot(browser, "27b-form-in-german");
    await (await byTest(browser, "preview-language")).selectByAttribute("value", "");
    await waitFor(browser, "back in English", async () => (await text(browser, "form-submit")) === "Submit claim");
    await (await byTest(browser, "form-submit")).click();

    // The workflow the form starts runs with the record.
    await (await byTest(browser, "node-convert")).waitForDisplayed({ timeout: 15000 });
    await browser.pause(3000);
    await shot(browser, "28-form-submitted-run");
    // Without a mock or a live grant for the rate service, the run takes its error route: it ran, with the record.
    await waitFor(browser, "the preview ran to its end", async () => /(completed|failed|rejected) at/.test(await text(browser, "preview-panel")), 30000);
    await shot(browser, "28-form-submitted-run");
    const input = await (await byTest(browser, "preview-input")).getValue();
    assert.deepEqual(JSON.parse(input), { amount: 120, category: "meals", currency: "USD", employee: "e-1042", "spent-on": "2026-11-02" });
  } finally {
    await close();
  }
});
