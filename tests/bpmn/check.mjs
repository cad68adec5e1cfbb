// Checks BPMN files the way Camunda Modeler does before it deploys: bpmnlint's
// recommended rules with bpmnlint-plugin-camunda-compat for a Camunda 8
// version, after bpmn-moddle (with the Zeebe extensions) reads the file, and
// bpmn-js itself imports it (in jsdom, with the SVG geometry jsdom lacks
// filled in by svg-shim.mjs), without a warning.
// Usage: node check.mjs [--version 8.8] FILE...
// Exit status 1 when any file has an error or an import warning.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { BpmnModdle } from "bpmn-moddle";
import { JSDOM, VirtualConsole } from "jsdom";
import { shim } from "./svg-shim.mjs";

const require = createRequire(import.meta.url);
const { Linter } = require("bpmnlint");
const NodeResolver = require("bpmnlint/lib/resolver/node-resolver");
const zeebe = require("zeebe-bpmn-moddle/resources/zeebe.json");

const args = process.argv.slice(2);
let version = "8.8";
const files = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === "--version") version = args[++i];
  else files.push(args[i]);
}
if (files.length === 0) {
  console.error("usage: node check.mjs [--version 8.8] FILE...");
  process.exit(2);
}

const here = path.dirname(fileURLToPath(import.meta.url));
// A linter per file: some rules remember what they saw (flow ids) across calls.
const linterFor = () =>
  new Linter({
    config: { extends: ["bpmnlint:recommended", `plugin:camunda-compat/camunda-cloud-${version.replace(".", "-")}`] },
    resolver: new NodeResolver({ require: createRequire(path.join(here, "package.json")) }),
  });

// bpmn-js's viewer, as Camunda Modeler imports a file; its own console stays quiet.
const dom = new JSDOM("<!doctype html><div id=canvas></div>", { pretendToBeVisual: true, runScripts: "outside-only", virtualConsole: new VirtualConsole() });
shim(dom.window);
dom.window.eval(readFileSync(require.resolve("bpmn-js/dist/bpmn-viewer.development.js"), "utf8"));
const viewer = new dom.window.BpmnJS({ container: dom.window.document.getElementById("canvas") });
const bpmnJsWarnings = async (xml) => {
  try {
    return (await viewer.importXML(xml)).warnings.map((w) => w.message);
  } catch (e) {
    return [`bpmn-js cannot import it: ${e.message}`, ...(e.warnings ?? []).map((w) => w.message)];
  }
};

let failed = 0;
for (const file of files) {
  const xml = readFileSync(file, "utf8");
  const moddle = new BpmnModdle({ zeebe });
  const { rootElement, warnings } = await moddle.fromXML(xml, "bpmn:Definitions");
  const problems = warnings.map((w) => `import warning: ${w.message}`);
  for (const message of await bpmnJsWarnings(xml)) {
    warnings.push({ message });
    problems.push(`bpmn-js import warning: ${message}`);
  }
  const results = await linterFor().lint(rootElement);
  let errors = 0;
  for (const [rule, reports] of Object.entries(results)) {
    for (const r of reports) {
      const category = r.category === "warn" ? "warning" : r.category;
      if (category === "error") errors++;
      problems.push(`${category}: ${r.id ?? "-"}: ${r.message} (${rule})`);
    }
  }
  const bad = errors + warnings.length;
  failed += bad > 0 ? 1 : 0;
  console.log(`${bad > 0 ? "FAIL" : "ok  "}  ${file}  (Camunda ${version}: ${errors} error(s), ${warnings.length} import warning(s))`);
  for (const p of problems) console.log(`      ${p}`);
}
console.log(`${files.length - failed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
