// Node-RED 5 with its editor, for tests/e2e/bench-nodered-editor.mjs: the
// runtime and the editor served from this process on 127.0.0.1 (red.js
// itself refuses this machine's Node.js 20; embedded, Node-RED only warns).
//   node scripts/nodered-editor.cjs NODE_RED_DIR USER_DIR PORT
const path = require("path");
const http = require("http");
const [base, userDir, port] = [process.argv[2], process.argv[3], Number(process.argv[4])];
const express = require(path.join(base, "node_modules/express"));
const RED = require(path.join(base, "node_modules/node-red"));
const app = express();
const server = http.createServer(app);
RED.init(server, {
  userDir, flowFile: "flows.json", httpAdminRoot: "/", httpNodeRoot: "/api", uiPort: port,
  editorTheme: { tours: false }, logging: { console: { level: "off" } },
});
app.use("/", RED.httpAdmin);
app.use("/api", RED.httpNode);
server.listen(port, "127.0.0.1", () => RED.start());
