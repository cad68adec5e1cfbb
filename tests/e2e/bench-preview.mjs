// Preview speed in the app for BENCHMARKS.md (issue 14): a linear chain of
// 1,000 small JavaScript steps (the chain of scripts/bench-nodered.sh), run
// from the preview panel; the time from the click on Run to the last step lit
// on the canvas and the run's result shown, measured inside the page (no WebDriver
// round trip in it). Before each run the workflow is opened again, so its
// canvas starts unlit (a run that lights what is already lit changes nothing
// on screen to wait for). Nine runs after two warm-up runs, and for each
// when its answer reached the page. The baselines in the same run: the same
// on the example's 9-step workflow, and Node-RED 5's warm message through
// the same chain (scripts/nodered-chain.cjs), before and after the app's
// runs, when scripts/bench-nodered.sh has installed it.
// The app paints as it chooses for a person on this machine.
//   ATELIER_APP=target/release/atelier-app xvfb-run -a -s "-screen 0 1280x800x24" node tests/e2e/bench-preview.mjs
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { APP, launch, byTest, openFolder, writeChain } from "./harness.mjs";

const STEPS = Number(process.env.STEPS ?? 1000);
const CLI = join(dirname(APP), "atelier");

function project() {
  const dir = join(mkdtempSync(join(tmpdir(), "atelier-bench-")), "p");
  execFileSync(CLI, ["init", dir, "--example"]);
  const code = "function run(input) {\n  const total = input.items.reduce((a, b) => a + b, 0);\n  return { ...input, n: input.n + 1, total };\n}\n";
  const last = writeChain(dir, { steps: STEPS, perRow: 25, code, input: { n: 0, items: [1, 2, 3, 4, 5] } });
  return { dir, last };
}

/** Opens `workflow` afresh, clicks Run and waits, inside the page, for `last` lit and the result shown. */
async function timeRun(browser, workflow, last) {
  await (await byTest(browser, `explorer-${workflow === "chain" ? "expense-approval" : "chain"}`)).click();
  await browser.pause(300);
  await (await byTest(browser, `explorer-${workflow}`)).click();
  await (await byTest(browser, `node-${last}`)).waitForExist({ timeout: 60000 });
  await browser.pause(300);
  if (workflow === "chain") await (await byTest(browser, "preview-case")).selectByAttribute("value", "one");
  return browser.executeAsync((last, done) => {
    const q = (id) => document.querySelector(`[data-testid="${id}"]`);
    // The last result stays on screen until the new one replaces it: the run's
    // own is the one with the next number.
    const before = q("preview-result")?.dataset.run;
    // When the run's answer reaches the page: the app's IPC is a fetch (Tauri
    // on Linux), wrapped once to note when the answer's body has come.
    if (!window.__timedAnswers) {
      const fetch = window.fetch;
      window.fetch = (url, ...rest) => {
        const answer = fetch(url, ...rest);
        if (String(url).includes("run_preview")) answer.then((r) => r.clone().arrayBuffer()).then(() => (window.__answered = performance.now()), () => {});
        return answer;
      };
      window.__timedAnswers = true;
    }
    window.__answered = NaN;
    // Found before the clock starts: a query over a 1,000-step canvas takes a millisecond.
    const button = q("run-preview");
    const t = performance.now();
    button.click();
    const poll = () => {
      // Lit: near, a class on the step; far out, a canvas drawn in the same
      // task as the step's aria-description is set (RunLights).
      const node = q(`node-${last}`);
      const result = q("preview-result");
      if (node?.getAttribute("aria-description") === "preview ok" && result && result.dataset.run !== before) {
        // The app's own time for the run (prepare and run, in the app) beside the whole.
        done([Math.round(performance.now() - t), Number(q("preview-took")?.dataset.wallUs ?? NaN) / 1000, Math.round(window.__answered - t)]);
      } else if (performance.now() - t > 60000) done([-1, NaN, NaN]);
      else requestAnimationFrame(poll);
    };
    requestAnimationFrame(poll);
  }, last);
}

/** Node-RED's warm message through the same chain, in ms (median of 30), or null when it is not installed. */
function nodeRed() {
  const nr = join(homedir(), ".cache/atelier/node-red");
  if (!existsSync(join(nr, "node_modules/node-red"))) return null;
  const script = resolve(import.meta.dirname, "../../scripts/nodered-chain.cjs");
  const out = execFileSync("node", [script, nr, String(STEPS), mkdtempSync(join(tmpdir(), "atelier-bench-nr-"))], { encoding: "utf8" });
  return JSON.parse(out.trim().split("\n").pop()).median;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
/** The line of one workflow's runs after the two warm-up runs: Run → lit, the app's own time for the run, and when its answer reached the page. */
function report(name, runs) {
  const kept = runs.slice(2);
  const lit = kept.map(([ms]) => ms);
  const own = kept.map(([, wall]) => wall);
  const answered = kept.map(([, , at]) => at);
  return (
    `${name}, Run → last step lit and result shown: median ${median(lit)} ms of ${lit.join(", ")}; ` +
    `of which the app preparing and running it: median ${median(own).toFixed(1)} ms of ${own.map((x) => x.toFixed(1)).join(", ")}; ` +
    `the answer in the page after: median ${median(answered)} ms of ${answered.join(", ")}`
  );
}

const { dir, last } = project();
const redBefore = nodeRed();
const { browser, close } = await launch({ appPaints: true });
try {
  await openFolder(browser, dir, "explorer-expense-approval", 60000);
  await (await byTest(browser, "explorer-expense-approval")).click();
  await (await byTest(browser, "node-convert")).waitForDisplayed({ timeout: 60000 });
  const small = [];
  for (let i = 0; i < 11; i++) small.push(await timeRun(browser, "expense-approval", "approved"));
  const big = [];
  for (let i = 0; i < 11; i++) big.push(await timeRun(browser, "chain", last));
  const redAfter = nodeRed();
  console.log(`app: ${APP}`);
  if (redBefore === null) console.log("Node-RED: not installed here (scripts/bench-nodered.sh installs it)");
  else console.log(`Node-RED 5, warm message through the same chain: ${redBefore.toFixed(1)} ms before the app's runs, ${redAfter.toFixed(1)} ms after`);
  console.log(report("example (9 steps)", small));
  console.log(report(`chain of ${STEPS} JavaScript steps`, big));
} finally {
  await close();
}
