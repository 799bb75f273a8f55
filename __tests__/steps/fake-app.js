// A stand-in for an app's HTTP API on 127.0.0.1 (run inside the test's own network namespace):
// answers the routes of a JSON config and records every request it gets.
//   node fake-app.js <port> <routes.json> <record.jsonl>
// routes.json: { "<METHOD> <path>": { "status": 200, "body": {...}, "bearer": "token",
//                                     "expectJson": true } }
const http = require("node:http");
const fs = require("node:fs");
const [port, routesFile, recordFile] = process.argv.slice(2);
const routes = JSON.parse(fs.readFileSync(routesFile, "utf8"));
http
  .createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      const key = `${req.method} ${req.url}`;
      const route = routes[key];
      let parsed = null;
      let jsonError = null;
      if (body) {
        try {
          parsed = JSON.parse(body);
        } catch (e) {
          jsonError = String(e);
        }
      }
      fs.appendFileSync(recordFile, JSON.stringify({ key, authorization: req.headers.authorization ?? null, contentType: req.headers["content-type"] ?? null, body: parsed, jsonError }) + "\n");
      if (!route) return res.writeHead(404).end();
      if (route.bearer && req.headers.authorization !== `Bearer ${route.bearer}`) return res.writeHead(401).end();
      if (route.expectJson && (jsonError || parsed === null)) return res.writeHead(400).end();
      res.writeHead(route.status ?? 200, { "Content-Type": "application/json" });
      res.end(route.body === undefined ? "" : JSON.stringify(route.body));
    });
  })
  .listen(Number(port), "127.0.0.1", () => fs.appendFileSync(recordFile, JSON.stringify({ key: "listening" }) + "\n"));
