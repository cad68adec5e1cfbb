// End-to-end tests of teamwork in the real app: files changed underneath it
// (the watcher), the compare view, and resolving a pull's conflicts.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync, mkdtempSync, renameSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { APP, launch, byTest, shot, git, text, waitFor, openFolder } from "./harness.mjs";

const CLI = join(dirname(APP), "atelier");
const WF = "workflows/expense-approval/workflow.json";
const AUTHOR = { GIT_AUTHOR_NAME: "Bob", GIT_AUTHOR_EMAIL: "bob@example.com", GIT_COMMITTER_NAME: "Bob", GIT_COMMITTER_EMAIL: "bob@example.com" };

function atelier(dir, ...args) {
  return execFileSync(CLI, ["-C", dir, ...args], { encoding: "utf8", env: { ...process.env, ...AUTHOR, GIT_CONFIG_NOSYSTEM: "1" } });
}

/** Renames a step of the example's workflow on disk, as another editor
 *  would: written beside, then moved over the file in one step. */
function rename(dir, step, name) {
  const p = join(dir, WF);
  const wf = JSON.parse(readFileSync(p, "utf8"));
  wf.steps[step].name = name;
  writeFileSync(`${p}.tmp`, JSON.stringify(wf, null, 2) + "\n");
  renameSync(`${p}.tmp`, p);
}

test("the app reloads a workflow changed on disk, and asks when it has unsaved edits", async () => {
  const dir = join(mkdtempSync(join(tmpdir(), "atelier-e2e-")), "claims");
  atelier(dirname(dir), "init", "claims", "--example");
  const { browser, close } = await launch();
  try {
    await openFolder(browser, dir);
    // Untouched in the app: reloaded at once.
    rename(dir, "convert", "Convert now");
    // textContent: WebKitWebDriver leaves the ellipsized name out of getText.
    const node = { getText: async () => (await byTest(browser, "node-convert")).getProperty("textContent") };
    await waitFor(browser, "the renamed step", async () => (await node.getText()).includes("Convert now")).catch(async (e) => {
      throw new Error(`${e.message}; text: ${JSON.stringify(await node.getText())}`);
    });
    await waitFor(browser, "the status line", async () => /changed on disk/.test(await text(browser, "status")));
    await shot(browser, "10-reloaded-from-disk");

    // With unsaved edits: the person chooses.
    await (await byTest(browser, "add-end")).click();
    await (await byTest(browser, "dirty")).waitForDisplayed();
    rename(dir, "convert", "Convert again");
    const banner = await byTest(browser, "disk-change");
    await banner.waitForDisplayed({ timeout: 15000 });
    await shot(browser, "11-changed-under-unsaved-edits");
    assert.match(await node.getText(), /Convert now/, "unsaved edits are kept until the person chooses");
    await (await byTest(browser, "disk-reload")).click();
    await waitFor(browser, "the reload", async () => (await node.getText()).includes("Convert again"));
    assert.equal(await (await byTest(browser, "dirty")).isExisting(), false);

    // The app's own save does not come back as a change on disk.
    await (await byTest(browser, "add-end")).click();
    await (await byTest(browser, "save")).click();
    await (await byTest(browser, "dirty")).waitForDisplayed({ reverse: true, timeout: 10000 });
    await browser.pause(1500);
    assert.equal(await (await byTest(browser, "disk-change")).isExisting(), false);
    assert.match(await text(browser, "status"), /^Saved /);
  } finally {
    await close();
  }
});

test("compare marks a step changed since the last commit and shows its property diff", async () => {
  const dir = join(mkdtempSync(join(tmpdir(), "atelier-e2e-")), "claims");
  atelier(dirname(dir), "init", "claims", "--example");
  atelier(dir, "commit", "-m", "Example");
  rename(dir, "check-amount", "Over 500 EUR?");
  const { browser, close } = await launch();
  try {
    await openFolder(browser, dir);
    await (await byTest(browser, "compare-button")).click();
    const canvas = await byTest(browser, "compare-canvas");
    await canvas.waitForDisplayed({ timeout: 10000 });
    const changed = await canvas.$('[data-testid="node-check-amount"]');
    await waitFor(browser, "the changed step", async () => /diff-changed/.test(await changed.getAttribute("class")));
    assert.doesNotMatch(await (await canvas.$('[data-testid="node-convert"]')).getAttribute("class"), /diff-/);
    assert.match(await text(browser, "compare-changes"), /step check-amount: name: Over 1,000 EUR\? → Over 500 EUR\?/);
    await shot(browser, "12-compare");
    await changed.click();
    await waitFor(browser, "the step's changes", async () => /Step check-amount/.test(await text(browser, "compare-changes")));
    await shot(browser, "12b-compare-step");
    await (await byTest(browser, "compare-close")).click();
    await (await byTest(browser, "canvas")).waitForDisplayed();
  } finally {
    await close();
  }
});

test("a pull with a conflict is resolved property by property and committed as the merge", async () => {
  const t = mkdtempSync(join(tmpdir(), "atelier-e2e-team-"));
  const origin = join(t, "origin.git");
  git(t, "init", "-q", "--bare", "-b", "main", origin);
  atelier(t, "init", "ann", "--example");
  const ann = join(t, "ann");
  git(ann, "config", "user.name", "Ann");
  git(ann, "config", "user.email", "ann@example.com");
  git(ann, "checkout", "-q", "-b", "main");
  atelier(ann, "commit", "-m", "Example");
  atelier(ann, "remote", "origin", origin);
  atelier(ann, "push");
  git(t, "clone", "-q", origin, "bob");
  const bob = join(t, "bob");
  rename(bob, "convert", "Bob's convert");
  atelier(bob, "commit", "-m", "Bob renames convert");
  atelier(bob, "push");
  rename(ann, "convert", "Ann's convert");
  atelier(ann, "commit", "-m", "Ann renames convert");

  const { browser, close } = await launch();
  try {
    await openFolder(browser, ann);
    // The branch menu knows the branch and the remote.
    await (await byTest(browser, "branch-button")).click();
    const menu = await byTest(browser, "branch-menu");
    await menu.waitForDisplayed();
    assert.match(await menu.getProperty("textContent"), /Branches.*main.*Remotes.*origin: /s);
    await shot(browser, "12c-branch-menu");
    await (await byTest(browser, "branch-button")).click();
    await (await byTest(browser, "pull")).click();
    const conflicts = await byTest(browser, "conflicts");
    await conflicts.waitForDisplayed({ timeout: 15000 });
    const item = await byTest(browser, "conflict-/steps/convert/name");
    await item.waitForDisplayed();
    assert.match(await item.getText(), /step convert: name/);
    assert.match(await item.getText(), /Ann's convert/);
    assert.match(await item.getText(), /Bob's convert/);
    await shot(browser, "13-conflict");
    await (await item.$('[data-testid="use-theirs"]')).click();
    const commit = await byTest(browser, "commit-merge");
    await commit.waitForDisplayed({ timeout: 10000 });
    await commit.click();
    await waitFor(browser, "the merge commit", async () => git(ann, "log", "-1", "--format=%P").trim().split(" ").length === 2);
    assert.equal(git(ann, "log", "-1", "--format=%s").trim(), "Merge origin/main");
    assert.equal(JSON.parse(readFileSync(join(ann, WF), "utf8")).steps.convert.name, "Bob's convert");
    assert.equal(git(ann, "status", "--porcelain").trim(), "");
    // textContent: WebKitWebDriver leaves the ellipsized name out of getText.
    const node = { getText: async () => (await byTest(browser, "node-convert")).getProperty("textContent") };
    await waitFor(browser, "the canvas to show the merge", async () => (await node.getText()).includes("Bob's convert"));
    await shot(browser, "14-merged");
  } finally {
    await close();
  }
});
