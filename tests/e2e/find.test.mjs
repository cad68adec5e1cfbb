// End-to-end tests of finding your way in the real app: Ctrl+K searches the
// project's index and opens a step on its canvas; a field renamed from the
// model designer is followed by the form bound to it; a past run opens again.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { exampleRepo, launch, byTest, shot, text, waitFor, openFolder } from "./harness.mjs";

/** The project whose preview the history test reopens in a new session of the app. */
let kept = null;

test("Ctrl+K finds a step by a word in its code and opens it on the canvas, by keyboard", async () => {
  const { browser, close } = await launch();
  try {
    await openFolder(browser, exampleRepo());
    await (await byTest(browser, "node-convert")).waitForDisplayed();
    // The workflow's governance rules, where they apply: the example meets them all.
    await (await byTest(browser, "governance")).waitForDisplayed();
    assert.equal(await (await (await byTest(browser, "rule-tested")).$(".governance-mark")).getAttribute("aria-label"), "met");
    await browser.keys(["Control", "k"]);
    const input = await byTest(browser, "palette-input");
    await input.waitForDisplayed();
    assert.equal(await input.getAttribute("role"), "combobox");
    await input.setValue("fx math rou");
    await (await byTest(browser, "palette-hit-workflows/expense-approval/steps/convert")).waitForDisplayed();
    // The listbox and its options, as a screen reader reads them.
    const listbox = await browser.$('[role="listbox"]');
    assert.equal(await input.getAttribute("aria-controls"), await listbox.getAttribute("id"));
    const active = await input.getAttribute("aria-activedescendant");
    assert.equal(await (await browser.$(`#${active.replace(/:/g, "\\:")}`)).getAttribute("aria-selected"), "true");
    await shot(browser, "30-command-palette");
    await browser.keys("Enter");
    await (await byTest(browser, "command-palette")).waitForDisplayed({ reverse: true });
    await waitFor(browser, "the step is selected in the inspector", async () => /Convert to EUR/.test(await text(browser, "inspector")));

    // Arrows move the active option; Escape closes.
    await browser.keys(["Control", "k"]);
    await (await byTest(browser, "palette-input")).setValue("amount");
    await (await browser.$('[role="option"]')).waitForDisplayed();
    const first = await input.getAttribute("aria-activedescendant");
    await browser.keys("ArrowDown");
    assert.notEqual(await (await byTest(browser, "palette-input")).getAttribute("aria-activedescendant"), first);
    await browser.keys("Escape");
    await (await byTest(browser, "command-palette")).waitForDisplayed({ reverse: true });

    // The explorer filters as you type.
    await (await byTest(browser, "explorer-filter")).setValue("nothing-is-called-this");
    await (await byTest(browser, "explorer-expense-approval")).waitForDisplayed({ reverse: true });
    await (await byTest(browser, "explorer-filter")).setValue("expense");
    await (await byTest(browser, "explorer-expense-approval")).waitForDisplayed();

    // A source opens in its designer, which shows who uses it, and renames it.
    await (await byTest(browser, "explorer-filter")).click();
    await browser.keys("Escape"); // the filter's own way to clear
    await (await byTest(browser, "explorer-fx-rates")).click();
    await (await byTest(browser, "source-designer")).waitForDisplayed();
    await (await byTest(browser, "find-references")).click();
    const refs = await byTest(browser, "references-dialog");
    await waitFor(browser, "the api_call step that calls it", async () => /workflows\/expense-approval\/steps\//.test(await refs.getText()));
    await browser.keys("Escape");
    await refs.waitForDisplayed({ reverse: true });
    await (await byTest(browser, "rename")).click();
    const id = await byTest(browser, "rename-id");
    await id.waitForDisplayed();
    await id.setValue("rates");
    await waitFor(browser, "the plan names the manifest and the step", async () => /atelier\.json/.test(await text(browser, "rename-plan")));
    await shot(browser, "30b-source-rename-plan");
    await browser.keys("Escape");
    await (await byTest(browser, "rename-dialog")).waitForDisplayed({ reverse: true });
  } finally {
    await close();
  }
});

test("a field renamed in the model designer: the form bound to it follows; a preview is kept", async () => {
  const { browser, close } = await launch();
  try {
    const dir = exampleRepo();
    await openFolder(browser, dir);
    await (await byTest(browser, "explorer-expense")).click();
    await (await byTest(browser, "entity-claim")).click();
    const row = await byTest(browser, "field-row-description");
    await row.waitForDisplayed();
    await (await row.$('[data-testid="field-more"]')).click();
    await (await byTest(browser, "field-details-description")).$('[data-testid="find-references"]').then((b) => b.click());
    const refs = await byTest(browser, "references-dialog");
    await refs.waitForDisplayed();
    await waitFor(browser, "the form component that binds it", async () => /forms\/expense-claim\/components\/description/.test(await refs.getText()));
    await shot(browser, "31-references");
    await browser.keys("Escape");
    await refs.waitForDisplayed({ reverse: true });

    await (await byTest(browser, "field-details-description")).$('[data-testid="rename"]').then((b) => b.click());
    const id = await byTest(browser, "rename-id");
    await id.waitForDisplayed();
    await id.setValue("purpose");
    await (await byTest(browser, "rename-plan")).waitForDisplayed();
    assert.match(await (await byTest(browser, "rename-plan")).getText(), /forms\/expense-claim\/form\.json/);
    await shot(browser, "32-rename-plan");
    await (await byTest(browser, "rename-apply")).click();
    await (await byTest(browser, "rename-dialog")).waitForDisplayed({ reverse: true });
    await (await byTest(browser, "field-row-purpose")).waitForDisplayed();
    const form = JSON.parse(readFileSync(join(dir, "forms/expense-claim/form.json"), "utf8"));
    assert.equal(form.components.description.field, "purpose");
    // The form designer shows the new binding, with no problem.
    await (await byTest(browser, "explorer-expense-claim")).click();
    await (await byTest(browser, "placed-description")).click();
    await waitFor(browser, "the component edits `purpose`", async () => (await (await byTest(browser, "component-field")).getValue()) === "purpose");
    await shot(browser, "33-form-follows-rename");

    // A preview, kept in the run history of this machine.
    await (await byTest(browser, "explorer-expense-approval")).click();
    await (await byTest(browser, "node-convert")).waitForDisplayed();
    await (await byTest(browser, "tab-preview")).click();
    await (await byTest(browser, "preview-case")).selectByAttribute("value", "small-claim");
    await (await byTest(browser, "run-preview")).click();
    await (await byTest(browser, "preview-result")).waitForDisplayed({ timeout: 30000 });
    kept = dir;
  } finally {
    await close();
  }
});

test("a run kept by an earlier session opens again on the canvas from the History tab", async () => {
  assert.ok(kept, "the previous test ran a preview");
  const { browser, close } = await launch();
  try {
    await openFolder(browser, kept);
    await (await byTest(browser, "node-convert")).waitForDisplayed();
    assert.doesNotMatch(await (await byTest(browser, "node-convert")).getAttribute("class"), /run-/);
    await (await byTest(browser, "tab-history")).click();
    const reopen = await byTest(browser, "reopen-run");
    await reopen.waitForDisplayed();
    assert.match(await (await byTest(browser, "run-history")).getText(), /completed/);
    await shot(browser, "34-run-history");
    await reopen.click();
    await (await byTest(browser, "trace-convert")).waitForDisplayed();
    await waitFor(browser, "the step shows how it ran", async () => /run-ok/.test(await (await byTest(browser, "node-convert")).getAttribute("class")));
  } finally {
    await close();
  }
});
