// The peer tool's own screen on the same work, for BENCHMARKS.md (issue 14):
// Node-RED 5's editor with the chain of 1,000 function nodes of
// scripts/nodered-chain.cjs between an inject and a debug node, in WebKitGTK's
// MiniBrowser (the engine of Atelier's window) under the same Xvfb. The time
// inside the page from the inject (what its button posts) to the message
// shown in the debug sidebar; median of ten after two warm-ups. Compare with
// tests/e2e/bench-preview.mjs (Run to the last step lit and the result shown).
// Node-RED comes from scripts/bench-nodered.sh (under ~/.cache/atelier).
//   xvfb-run -a -s "-screen 0 1280x800x24" node tests/e2e/bench-nodered-editor.mjs
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import net from "node:net";
import { createRequire } from "node:module";
import { remote } from "webdriverio";

const { chainNodes } = createRequire(import.meta.url)("../../scripts/nodered-chain.cjs");
const STEPS = Number(process.env.STEPS ?? 1000);
const NR = join(homedir(), ".cache/atelier/node-red");
const MINIBROWSER = "/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser";
if (!existsSync(join(NR, "node_modules/node-red"))) throw new Error("Node-RED is not installed: run scripts/bench-nodered.sh once");

const freePort = () => new Promise((ok) => {
  const s = net.createServer();
  s.listen(0, "127.0.0.1", () => { const { port } = s.address(); s.close(() => ok(port)); });
});

const user = mkdtempSync(join(tmpdir(), "atelier-bench-nr-editor-"));
const flow = [{ id: "tab", type: "tab", label: "chain" }];
flow.push({ id: "inj", type: "inject", z: "tab", name: "go", props: [{ p: "payload" }], payload: '{"n":0,"items":[1,2,3,4,5]}', payloadType: "json", repeat: "", once: false, x: 100, y: 40, wires: [["f0"]] });
flow.push(...chainNodes(STEPS, "dbg"));
flow.push({ id: "dbg", type: "debug", z: "tab", name: "out", active: true, tosidebar: true, console: false, complete: "payload", x: 100, y: 100 + Math.ceil(STEPS / 25) * 60, wires: [] });
writeFileSync(join(user, "flows.json"), JSON.stringify(flow));

const nrPort = await freePort();
const red = spawn("node", [resolve(import.meta.dirname, "../../scripts/nodered-editor.cjs"), NR, user, String(nrPort)], { stdio: "ignore", detached: true });
const wdPort = await freePort();
const driver = spawn("WebKitWebDriver", [`--port=${wdPort}`], { stdio: "ignore", detached: true });
const stop = () => [red, driver].forEach((p) => { try { process.kill(-p.pid, "SIGKILL"); } catch { /* gone */ } });
try {
  for (let i = 0; i < 240; i++) {
    try { if ((await fetch(`http://127.0.0.1:${nrPort}/flows`)).ok) break; } catch { /* not yet */ }
    await new Promise((r) => setTimeout(r, 500));
  }
  const browser = await remote({ hostname: "127.0.0.1", port: wdPort, logLevel: "error", capabilities: { "webkitgtk:browserOptions": { binary: MINIBROWSER, args: ["--automation"] } } });
  await browser.url(`http://127.0.0.1:${nrPort}/`);
  // The editor lays out 1,000 nodes while it loads, and WebDriver gets no answer meanwhile.
  await browser.pause(12000);
  await browser.waitUntil(() => browser.execute(() => !!(window.RED?.nodes?.node?.("dbg") && document.querySelector(".red-ui-debug-content"))), { timeout: 120000, interval: 500 });
  await browser.pause(3000);
  // The first start asks about update notifications in a dialog: answered, as a person would.
  await browser.execute(() => [...document.querySelectorAll("button")].find((b) => /do not enable/i.test(b.textContent))?.click());
  await browser.execute(() => RED.sidebar.show("debug"));
  await browser.pause(2000);
  const once = () => browser.executeAsync((done) => {
    const shown = () => document.querySelectorAll(".red-ui-debug-msg").length;
    const before = shown();
    const t = performance.now();
    fetch("inject/inj", { method: "POST" });
    const poll = () => (shown() > before ? done(Math.round(performance.now() - t)) : performance.now() - t > 30000 ? done(-1) : requestAnimationFrame(poll));
    requestAnimationFrame(poll);
  });
  const times = [];
  for (let i = 0; i < 12; i++) {
    times.push(await once());
    await browser.pause(300);
  }
  const warm = times.slice(2);
  console.log(`Node-RED 5's editor (MiniBrowser), inject → message shown in the debug sidebar, ${STEPS} function nodes: median ${[...warm].sort((a, b) => a - b)[Math.floor(warm.length / 2)]} ms of ${warm.join(", ")}`);
  await browser.deleteSession().catch(() => {});
} finally {
  stop();
}
