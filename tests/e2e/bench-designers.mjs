// Designer measurements for BENCHMARKS.md (issue 12), in the real app under
// Xvfb: opening a model of 300 entities × 20 fields to a drawn canvas and the
// p95 frame while dragging an entity; a form of 200 components: the time from
// a keystroke in its preview to the new state (validation and visibility,
// computed in Rust) on screen, and the p95 frame while typing. The baseline,
// in the same session: opening the 9-step example workflow.
//   ATELIER_APP=target/release/atelier-app xvfb-run -a -s "-screen 0 1280x800x24" node tests/e2e/bench-designers.mjs
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { APP, launch, byTest, p95, frames } from "./harness.mjs";

const CLI = join(dirname(APP), "atelier");
function project() {
  const dir = join(mkdtempSync(join(tmpdir(), "atelier-bench-")), "p");
  execFileSync(CLI, ["init", dir, "--example"]);
  const types = ["string", "text", "integer", "decimal", "boolean", "date", "email"];
  const entities = {};
  for (let e = 0; e < 300; e++) {
    const fields = {};
    for (let f = 0; f < 20; f++) fields[`field-${f}`] = { label: `Field ${f}`, type: types[f % types.length], ...(f % 5 === 0 ? { required: true } : {}) };
    if (e > 0) fields["parent"] = { label: "Parent", type: "reference", entity: `entity-${e - 1}` };
    entities[`entity-${e}`] = { name: `Entity ${e}`, fields };
  }
  writeFileSync(join(dir, "models/big.json"), JSON.stringify({ name: "Big", entities }, null, 2));
  // A form of 200 components over one wide entity; every tenth shows only when the first has a value.
  const wide = {};
  for (let f = 0; f < 200; f++) wide[`f-${f}`] = { label: `Field ${f}`, type: f % 2 ? "integer" : "string", ...(f % 2 ? { min: 0, max: 100 } : { max_length: 20 }) };
  writeFileSync(join(dir, "models/wide.json"), JSON.stringify({ name: "Wide", entities: { record: { name: "Record", fields: wide } } }, null, 2));
  const components = {};
  const placements = {};
  for (let f = 0; f < 200; f++) {
    components[`f-${f}`] = { kind: f % 2 ? "number_input" : "text_input", label: `Field ${f}`, field: `f-${f}`, ...(f % 10 === 5 ? { visible_if: { op: "filled", field: "f-0" } } : {}) };
    placements[`f-${f}`] = { row: Math.floor(f / 2), column: (f % 2) * 6, width: 6 };
  }
  mkdirSync(join(dir, "forms/wide"), { recursive: true });
  writeFileSync(join(dir, "forms/wide/form.json"), JSON.stringify({ name: "Wide", model: "wide", entity: "record", components }, null, 2));
  writeFileSync(join(dir, "forms/wide/layout.json"), JSON.stringify({ components: placements }, null, 2));
  return dir;
}

const dir = project();
const { browser, close } = await launch({ appPaints: true });
try {
  await (await byTest(browser, "start-screen")).waitForDisplayed({ timeout: 30000 });
  await (await byTest(browser, "project-path")).setValue(dir);
  let t = Date.now();
  await (await byTest(browser, "open-project")).click();
  await (await byTest(browser, "node-convert")).waitForDisplayed({ timeout: 30000 });
  const baseline = Date.now() - t;
  // The floor of this machine (Xvfb, software painting), three ways: frames
  // while nothing happens, while dragging a bare element that follows the
  // pointer (no React, no React Flow), and while dragging a step of the
  // 9-step workflow.
  const idle = await frames(browser, () => browser.pause(1500));
  await browser.execute(() => {
    const d = document.createElement("div");
    d.id = "bench-bare";
    d.style.cssText = "position:fixed;left:300px;top:300px;width:160px;height:60px;background:#4a7;z-index:99999";
    let from = null;
    d.addEventListener("pointerdown", (e) => (from = { x: e.clientX - d.offsetLeft, y: e.clientY - d.offsetTop }));
    window.addEventListener("pointermove", (e) => from && ((d.style.left = `${e.clientX - from.x}px`), (d.style.top = `${e.clientY - from.y}px`)));
    window.addEventListener("pointerup", () => (from = null));
    document.body.appendChild(d);
  });
  const dragBare = await frames(browser, () =>
    browser.action("pointer").move({ origin: "viewport", x: 380, y: 330 }).down().move({ origin: "viewport", x: 500, y: 400, duration: 1500 }).move({ origin: "viewport", x: 320, y: 350, duration: 1500 }).up().perform(),
  );
  await browser.execute(() => document.getElementById("bench-bare").remove());
  const step = await browser.execute(() => {
    const r = document.querySelector('[data-testid="node-convert"]').getBoundingClientRect();
    return { x: Math.round(r.left + r.width / 2), y: Math.round(r.top + r.height / 2) };
  });
  const dragStep = await frames(browser, () =>
    browser.action("pointer").move({ origin: "viewport", x: step.x, y: step.y }).down().move({ origin: "viewport", x: step.x + 120, y: step.y + 70, duration: 1500 }).move({ origin: "viewport", x: step.x - 60, y: step.y + 20, duration: 1500 }).up().perform(),
  );

  t = Date.now();
  await (await byTest(browser, "explorer-big")).click();
  // Usable: the model is read and the canvas has drawn what is in view (React
  // Flow draws only the visible nodes).
  await browser.waitUntil(
    async () => browser.execute(() => /300 entities/.test(document.querySelector('[data-testid="model-inspector"]')?.textContent ?? "") && document.querySelectorAll(".entity-node").length > 0),
    { timeout: 60000, interval: 10 },
  );
  const openModel = Date.now() - t;
  const drawn = await browser.execute(() => document.querySelectorAll(".entity-node").length);
  const at = await browser.execute(() => {
    const pane = document.querySelector(".react-flow__pane").getBoundingClientRect();
    const n = [...document.querySelectorAll(".entity-node")].find((n) => {
      const r = n.getBoundingClientRect();
      return r.left > pane.left + 100 && r.right < pane.right - 100 && r.top > pane.top + 60 && r.bottom < pane.bottom - 60;
    });
    const r = n.getBoundingClientRect();
    return { x: Math.round(r.left + r.width / 2), y: Math.round(r.top + 8) };
  });
  const drag = await frames(browser, () =>
    browser.action("pointer").move({ origin: "viewport", x: at.x, y: at.y }).down().move({ origin: "viewport", x: at.x + 120, y: at.y + 70, duration: 1500 }).move({ origin: "viewport", x: at.x - 60, y: at.y + 20, duration: 1500 }).up().perform(),
  );

  // The floor for a keystroke: the example's 7-component form, the same way.
  await (await byTest(browser, "explorer-expense-claim")).click();
  await (await byTest(browser, "form-preview-button")).click();
  const small = await byTest(browser, "fill-description");
  await small.waitForDisplayed();
  await browser.execute(() => (window.__formLatencyMs = []));
  await small.click();
  for (let i = 0; i < 4; i++) for (const ch of "abcdefghijklmnopqrstuvwxy") await browser.keys(ch);
  await browser.pause(300);
  const smallLatency = await browser.execute(() => window.__formLatencyMs ?? []);
  await (await byTest(browser, "form-design")).click();

  await (await byTest(browser, "explorer-wide")).click();
  await (await byTest(browser, "placed-f-199")).waitForExist({ timeout: 30000 });
  await (await byTest(browser, "form-preview-button")).click();
  const first = await byTest(browser, "fill-f-0");
  await first.waitForDisplayed();
  await browser.execute(() => ((window.__formLatencyMs = []), (window.__formSplits = [])));
  // 100 keystrokes over four inputs: texts past their length limit, a number
  // past its maximum, and the first input, on which 20 others' visibility hangs.
  const typing = await frames(browser, async () => {
    for (const [id, keys] of [["f-0", "abcdefghijklmnopqrstuvwxy"], ["f-1", "1234567890123456789012345"], ["f-2", "abcdefghijklmnopqrstuvwxy"], ["f-3", "9876543210987654321098765"]]) {
      await (await byTest(browser, `fill-${id}`)).click();
      for (const ch of keys) await browser.keys(ch);
    }
    await browser.pause(300);
  });
  const latency = await browser.execute(() => window.__formLatencyMs ?? []);
  const splits = await browser.execute(() => window.__formSplits ?? []);
  console.log(`app: ${APP}`);
  console.log(`floor: p95 frame while nothing happens ${p95(idle)} ms (${idle.length} frames); while dragging a bare element ${p95(dragBare)} ms (${dragBare.length} frames)`);
  console.log(`baseline: open the example project to its 9-step workflow ${baseline} ms; p95 frame while dragging one of its steps ${p95(dragStep)} ms (${dragStep.length} frames)`);
  console.log(`model of 300 entities × 20 fields: open → usable canvas ${openModel} ms (${drawn} entities in view drawn); p95 frame while dragging an entity ${p95(drag)} ms (${drag.length} frames)`);
  const worst = latency.map((l, i) => [l, splits[i]]).sort((a, b) => b[0] - a[0]).slice(0, 8);
  console.log(`slowest keystrokes (total: before the request, round trip): ${worst.map(([l, s]) => `${Math.round(l)}: ${Math.round(s?.before)}+${Math.round(s?.ipc)}`).join(", ")}`);
  console.log(`baseline: the example's 7-component form: keystroke → new state p95 ${p95(smallLatency)} ms, max ${Math.round(Math.max(...smallLatency))} ms, median ${[...smallLatency].sort((a, b) => a - b)[Math.floor(smallLatency.length / 2)]?.toFixed(1)} ms (${smallLatency.length} keystrokes)`);
  console.log(`form of 200 components: keystroke → new state on screen p95 ${p95(latency)} ms, max ${Math.round(Math.max(...latency))} ms, median ${[...latency].sort((a, b) => a - b)[Math.floor(latency.length / 2)]?.toFixed(1)} ms (${latency.length} keystrokes); p95 frame while typing ${p95(typing)} ms`);
} finally {
  await close();
}
