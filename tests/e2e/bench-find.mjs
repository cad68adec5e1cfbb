// Find-your-way measurements for BENCHMARKS.md (issue 13), in the real app
// under Xvfb, on the generated project of 1,000 workflows x 20 steps
// (scripts/gen-project.py): opening it to a usable explorer, filtering the
// explorer, and the command palette's answer to a keystroke. The baseline, in
// the same session: opening the 9-step example project.
//   ATELIER_APP=target/release/atelier-app xvfb-run -a -s "-screen 0 1280x800x24" node tests/e2e/bench-find.mjs
import { execFileSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { APP, launch, byTest, p95 } from "./harness.mjs";

const CLI = join(dirname(APP), "atelier");
const root = join(dirname(fileURLToPath(import.meta.url)), "../..");
const base = mkdtempSync(join(tmpdir(), "atelier-bench-find-"));
const small = join(base, "example");
execFileSync(CLI, ["init", small, "--example"]);
const big = join(base, "big");
execFileSync("python3", [join(root, "scripts/gen-project.py"), big, "1000", "20"]);

async function open(browser, dir, ready) {
  await (await byTest(browser, "project-path")).setValue(dir);
  const t = Date.now();
  await (await byTest(browser, "open-project")).click();
  await browser.waitUntil(() => browser.execute(ready), { timeout: 60000, interval: 10 });
  return Date.now() - t;
}

let baseline;
const { browser, close } = await launch({ appPaints: true });
try {
  await (await byTest(browser, "start-screen")).waitForDisplayed({ timeout: 30000 });
  baseline = await open(browser, small, () => !!document.querySelector('[data-testid="explorer-expense-approval"]') && !!document.querySelector('[data-testid="node-convert"]'));
} finally {
  await close();
}

const second = await launch({ appPaints: true });
try {
  const browser = second.browser;
  await (await byTest(browser, "start-screen")).waitForDisplayed({ timeout: 30000 });
  const openBig = await open(browser, big, () => !!document.querySelector('[data-testid="explorer-wf-0000"]') && !!document.querySelector('[data-testid="explorer-more-workflows"]'));
  // Filtering the explorer: a keystroke to the filtered list on screen.
  const filter = await byTest(browser, "explorer-filter");
  const filtered = [];
  for (const q of ["9", "99", "999"]) {
    const t = Date.now();
    await filter.setValue(q);
    await browser.waitUntil(() => browser.execute((q) => [...document.querySelectorAll(".explorer-item .explorer-name")].every((n) => n.textContent.includes(q)), q), { timeout: 10000, interval: 5 });
    filtered.push(Date.now() - t);
  }
  // The palette: each keystroke to its hits on screen (the search runs in Rust, over the index).
  await browser.keys(["Control", "k"]);
  const input = await byTest(browser, "palette-input");
  await input.waitForDisplayed();
  await browser.pause(1500); // the background index of the open finishes
  const answers = [];
  for (const word of ["generated 42", "step 01", "workflow 7"]) {
    await input.clearValue();
    for (const ch of word) {
      const t = Date.now();
      await browser.keys(ch);
      const typed = await input.getValue();
      await browser.waitUntil(
        () => browser.execute((typed) => document.querySelector('[data-testid="palette-input"]').value === typed && !document.querySelector(".cmdk .spinner"), typed),
        { timeout: 10000, interval: 5 },
      );
      answers.push(Date.now() - t);
    }
  }
  console.log(`app: ${APP}`);
  console.log(`baseline: open the 9-step example to its explorer and canvas ${baseline} ms`);
  console.log(`1,000 workflows x 20 steps: open → usable explorer ${openBig} ms; filter keystroke → list ${filtered.join(" / ")} ms; palette keystroke → hits p95 ${p95(answers)} ms (median ${[...answers].sort((a, b) => a - b)[Math.floor(answers.length / 2)]} ms, ${answers.length} keystrokes)`);
} finally {
  await second.close();
}
