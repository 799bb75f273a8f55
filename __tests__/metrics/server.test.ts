import { loadConfig } from "../../metrics/src/config";
import { ROUTES } from "../../metrics/src/openapi";
import { MetricsApp } from "../../metrics/src/server";
import { FixtureHost, http } from "./helpers";

describe("metrics HTTP server", () => {
  let host: FixtureHost;
  let app: MetricsApp;
  let port: number;
  let mono = 5_000_000;

  beforeAll(async () => {
    host = new FixtureHost();
    // A long interval keeps the background sampler out of the way; the test drives sample().
    app = new MetricsApp(loadConfig(host.env({ SAMPLE_INTERVAL_MS: "60000" })), { monotonic: () => mono });
    port = (await app.listen()).port;
  });
  afterAll(async () => {
    await app.close();
    host.remove();
  });

  test("GET /api/stats serves the latest sample with exact rates", async () => {
    host.use("t1");
    mono += 2000;
    await app.sampler.sample();
    const r = await http(port, "/api/stats");
    expect(r.status).toBe(200);
    expect(r.headers["content-type"]).toBe("application/json; charset=utf-8");
    expect(r.headers["cache-control"]).toBe("no-store");
    expect(r.json.hostname).toBe("kscloud1");
    expect(r.json.cpu).toEqual({ count: 2, percent: 40, per_core: [60, 20] });
    expect(r.json.network.total).toEqual({ rx_bytes_per_sec: 102250, tx_bytes_per_sec: 51500 });
    expect(r.json.memory.percent).toBe(50);
    expect(r.json).toEqual(app.sampler.latest);
  });

  test("HEAD answers headers only", async () => {
    const r = await http(port, "/api/stats", "HEAD");
    expect(r.status).toBe(200);
    expect(r.text).toBe("");
    expect(Number(r.headers["content-length"])).toBe(app.sampler.body!.length);
  });

  test("GET /api/health reports a fresh sampler", async () => {
    const r = await http(port, "/api/health");
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ status: "ok", sampler: { fresh: true, interval_ms: 60000, last_error: null } });
  });

  test("health turns 503 when the sampler stops producing samples", async () => {
    mono += 10 * 60_000;
    const r = await http(port, "/api/health");
    expect(r.status).toBe(503);
    expect(r.json).toMatchObject({ status: "degraded", sampler: { fresh: false, age_ms: 600_000 } });
    await app.sampler.sample();
    expect((await http(port, "/api/health")).status).toBe(200);
  });

  test("unknown route is a JSON 404", async () => {
    for (const path of ["/", "/api", "/api/stats/", "/api/nope", "/api/stats/../health"]) {
      const r = await http(port, path);
      expect(r.status).toBe(404);
      expect(r.json).toMatchObject({ error: "not_found", status: 404 });
    }
  });

  test("wrong method is a JSON 405 with Allow", async () => {
    for (const method of ["POST", "PUT", "DELETE", "PATCH", "OPTIONS"]) {
      const r = await http(port, "/api/weather", method);
      expect(r.status).toBe(405);
      expect(r.headers.allow).toBe("GET, HEAD");
      expect(r.json).toMatchObject({ error: "method_not_allowed", status: 405 });
      expect(r.json.message).toContain(method);
    }
  });

  test.each([
    ["/api/stats?verbose=1", 'unknown query parameter "verbose"; this route takes none'],
    ["/api/activity?limit=abc", 'query parameter "limit": "abc" is not an integer in 1-50'],
    ["/api/activity?limit=0", 'query parameter "limit": "0" is not an integer in 1-50'],
    ["/api/activity?limit=51", 'query parameter "limit": "51" is not an integer in 1-50'],
    ["/api/activity?limit=5&limit=6", 'query parameter "limit" is given more than once'],
    ["/api/activity?lmit=5", 'unknown query parameter "lmit"; allowed: limit'],
  ])("%s is a 400 naming the parameter", async (path, message) => {
    const r = await http(port, path);
    expect(r.status).toBe(400);
    expect(r.json).toEqual({ error: "bad_request", message, status: 400 });
  });

  test("disabled weather and activity answer 200 saying so", async () => {
    const w = await http(port, "/api/weather");
    expect(w.status).toBe(200);
    expect(w.json).toEqual({ enabled: false, available: false, reason: "WEATHER_LATITUDE and WEATHER_LONGITUDE are not set" });
    const a = await http(port, "/api/activity?limit=3");
    expect(a.status).toBe(200);
    expect(a.json).toEqual({ enabled: false, available: false, reason: "FORGEJO_API_BASE is not set" });
  });

  test("the OpenAPI document and the server's routes are the same set", async () => {
    const r = await http(port, "/api/openapi.json");
    expect(r.status).toBe(200);
    expect(r.json.openapi).toMatch(/^3\./);
    const documented = Object.keys(r.json.paths).sort();
    expect(documented).toEqual(app.routePaths().sort());
    expect(documented).toEqual(Object.keys(ROUTES).sort());
    for (const path of documented) {
      expect(Object.keys(r.json.paths[path])).toEqual(["get"]);
      // every documented route is really served (not a 404) ...
      const res = await http(port, path);
      expect(res.status).not.toBe(404);
      // ... and every documented query parameter is accepted
      for (const p of r.json.paths[path].get.parameters) {
        expect((await http(port, `${path}?${p.name}=${p.schema.minimum}`)).status).not.toBe(400);
      }
      // every $ref points at a schema that exists
      for (const m of JSON.stringify(r.json.paths[path]).matchAll(/#\/components\/schemas\/(\w+)/g)) {
        expect(r.json.components.schemas).toHaveProperty(m[1]);
      }
    }
  });
});

describe("stats before any successful sample", () => {
  test("503 with the sampler error, health degraded", async () => {
    const host = new FixtureHost();
    const app = new MetricsApp(loadConfig(host.env({ SAMPLE_INTERVAL_MS: "60000" })));
    // Break the tree after validation: the first sample fails.
    host.remove();
    const { port } = await app.listen();
    try {
      const r = await http(port, "/api/stats");
      expect(r.status).toBe(503);
      expect(r.json.error).toBe("no_sample");
      expect(r.json.message).toMatch(/ENOENT/);
      expect((await http(port, "/api/health")).json.status).toBe("degraded");
    } finally {
      await app.close();
    }
  });
});
