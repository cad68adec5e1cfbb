// Node-RED's side of issue 14's preview benchmarks: the chain of STEPS
// function nodes (`n += 1; total = items.reduce(...)`), an entry node and a
// last node that tells the benchmark the message arrived, run by Node-RED's
// runtime embedded in this process (no editor, no HTTP). Prints the warm time
// of one message: min, median and max of 30 after 10 warm-up messages.
//   node scripts/nodered-chain.cjs NODE_RED_DIR STEPS USER_DIR
// Used by scripts/bench-nodered.sh and tests/e2e/bench-preview.mjs; its
// chainNodes also by tests/e2e/bench-nodered-editor.mjs.
const path = require("path");
const http = require("http");

/**
 * The chain's STEPS function nodes on tab "tab", `f0` to `f<STEPS-1>`, the
 * last wired to `last`; laid out 25 to a row for an editor.
 */
function chainNodes(steps, last) {
  return Array.from({ length: steps }, (_, i) => ({
    id: `f${i}`, type: "function", z: "tab", name: `step ${i}`, x: 100 + (i % 25) * 180, y: 100 + Math.floor(i / 25) * 60,
    func: "const total = msg.payload.items.reduce((a, b) => a + b, 0);\nmsg.payload = { ...msg.payload, n: msg.payload.n + 1, total };\nreturn msg;",
    outputs: 1, wires: [[i + 1 < steps ? `f${i + 1}` : last]],
  }));
}
module.exports = { chainNodes };

if (require.main === module) {
  const RED = require(path.join(process.argv[2], "node_modules/node-red"));
  const steps = Number(process.argv[3]);
  const userDir = process.argv[4];
  let arrived = null;
  const flow = [{ id: "tab", type: "tab", label: "chain" }, ...chainNodes(steps, "last")];
  flow.push({ id: "last", type: "function", z: "tab", func: "global.get('arrived')(msg.payload);\nreturn null;", outputs: 1, wires: [[]] });
  require("fs").writeFileSync(path.join(userDir, "flows.json"), JSON.stringify(flow));
  const server = http.createServer();
  RED.init(server, {
    userDir, flowFile: "flows.json", httpAdminRoot: false, httpNodeRoot: false, uiPort: 0,
    logging: { console: { level: "off" } }, functionGlobalContext: { arrived: (p) => arrived && arrived(p) },
    editorTheme: { tours: false },
  });
  (async () => {
    await RED.start();
    await new Promise((r) => setTimeout(r, 500)); // flows started
    const first = RED.nodes.getNode("f0");
    const send = () => new Promise((resolve) => {
      const t = process.hrtime.bigint();
      arrived = (p) => { if (p.n !== steps) throw new Error(`n = ${p.n}`); resolve(Number(process.hrtime.bigint() - t) / 1e6); };
      first.receive({ payload: { n: 0, items: [1, 2, 3, 4, 5] } });
    });
    for (let i = 0; i < 10; i++) await send(); // warm-up
    const times = [];
    for (let i = 0; i < 30; i++) times.push(await send());
    times.sort((a, b) => a - b);
    console.log(JSON.stringify({ min: times[0], median: times[15], max: times[29] }));
    await RED.stop();
    process.exit(0);
  })();
}
