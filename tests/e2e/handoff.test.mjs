// End-to-end: hand-off in the real app. The toolbar's Export shows the
// workflow as the picture `atelier render` draws and as BPMN for Camunda 8
// with what BPMN cannot say exactly; a flow imported from n8n shows, in the
// inspector, what is left to finish, and the person can mark it finished; a
// source imported from OpenAPI offers its operations to the API call's inspector.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { APP, launch, byTest, clickNode, shot, text, waitFor, openFolder } from "./harness.mjs";

const CLI = join(dirname(APP), "atelier");
const CORPUS = resolve(import.meta.dirname, "../../../shared/corpus");

test("export a picture and BPMN; an imported n8n flow shows what is left to finish", async () => {
  const dir = join(mkdtempSync(join(tmpdir(), "atelier-e2e-")), "claims");
  execFileSync(CLI, ["init", dir, "--example"]);
  execFileSync(CLI, ["-C", dir, "import", "n8n", join(CORPUS, "n8n--error-outputs-onerror.json"), "--as", "from-n8n"]);
  execFileSync(CLI, ["-C", dir, "import", "openapi", resolve(import.meta.dirname, "../fixtures/openapi/fx-rates.yaml"), "--source", "fx-rates", "--replace"]);
  const { browser, close } = await launch();
  try {
    await openFolder(browser, dir);
    await (await byTest(browser, "export-workflow")).click();
    await (await byTest(browser, "handoff-dialog")).waitForDisplayed();
    const picture = await browser.$('[data-testid="handoff-picture"] img');
    await picture.waitForDisplayed({ timeout: 10000 });
    await waitFor(browser, "the picture is drawn", async () => (await picture.getProperty("naturalWidth")) > 400);
    await shot(browser, "50-export-picture");
    await (await byTest(browser, "handoff-bpmn")).click();
    await (await byTest(browser, "handoff-xml")).waitForDisplayed({ timeout: 10000 });
    assert.match(await text(browser, "handoff-xml"), /io\.camunda:http-json:1/);
    assert.match(await text(browser, "handoff-notes"), /atelier-script/);
    await shot(browser, "51-export-bpmn");
    await (await browser.$('[data-testid="handoff-dialog"] button.primary')).click();

    // A source from an OpenAPI description: the API call's inspector picks its operation.
    await clickNode(browser, "fetch-rate");
    const operation = await byTest(browser, "api-operation");
    await operation.waitForDisplayed({ timeout: 10000 });
    assert.equal(await operation.getValue(), "get-latest", "the example's call is the description's getLatest");
    await shot(browser, "53-api-operation");

    await (await byTest(browser, "explorer-from-n8n")).click();
    await (await byTest(browser, "node-success")).waitForDisplayed({ timeout: 15000 });
    await clickNode(browser, "success");
    await (await byTest(browser, "unfinished")).waitForDisplayed();
    assert.match(await text(browser, "unfinished"), /read other nodes/);
    await shot(browser, "52-unfinished-step");
    await (await byTest(browser, "mark-finished")).click();
    await waitFor(browser, "the mark is gone", async () => !(await (await byTest(browser, "unfinished")).isExisting()));
    await (await byTest(browser, "save")).click();
    await waitFor(browser, "the workflow is saved", async () => !(await (await byTest(browser, "dirty")).isExisting()));

    // The explorer imports a Node-RED flow from its text, and opens it.
    await (await byTest(browser, "import-workflow")).click();
    await (await byTest(browser, "import-design-format")).selectByAttribute("value", "node-red");
    await (await byTest(browser, "import-design-id")).setValue("sign");
    await browser.execute((t) => {
      const area = document.querySelector('[data-testid="import-design-text"]');
      const set = Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, "value").set;
      set.call(area, t);
      area.dispatchEvent(new Event("input", { bubbles: true }));
    }, readFileSync(join(CORPUS, "nodered--switch-select-port.json"), "utf8"));
    await (await byTest(browser, "import-design-run")).click();
    await (await byTest(browser, "import-design-report")).waitForDisplayed({ timeout: 10000 });
    assert.match(await text(browser, "import-design-report"), /Imported \d+ steps into workflows\/sign\//);
    await shot(browser, "54-import-node-red");
    await (await browser.$('[data-testid="import-design-dialog"] .start-actions button')).click();
    await (await byTest(browser, "node-switch")).waitForDisplayed({ timeout: 15000 });
    await (await byTest(browser, "explorer-sign")).waitForDisplayed();
  } finally {
    await close();
  }
});
