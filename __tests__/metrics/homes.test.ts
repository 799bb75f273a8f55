/**
 * /api/homes over real HTTP: the metrics API probes fake homes on 127.0.0.1 (one answering with
 * a redirect, one refusing connections, one silent), as it probes the home hosts' tailnet ports.
 */
import { loadConfig, ConfigError } from "../../metrics/src/config";
import { MetricsApp } from "../../metrics/src/server";
import { freePort } from "../../portal/build/nginx";
import { FakeUpstream, FixtureHost, http } from "./helpers";

describe("/api/homes", () => {
  const host = new FixtureHost();
  const answering = new FakeUpstream();
  const silent = new FakeUpstream();
  let app: MetricsApp;
  let port: number;

  beforeAll(async () => {
    answering.behaviour = (_req, res) => {
      res.writeHead(302, { location: "/user/login" });
      res.end();
    };
    silent.json({}, 200, 10_000);
    const up = await answering.start();
    const quiet = await silent.start();
    const refused = `http://127.0.0.1:${await freePort()}/`;
    const probes = [
      { service: "forgejo", title: "Forgejo", home: "kscloud1", url: `${up}/` },
      { service: "kavita", title: "Kavita", home: "monk", url: refused },
      { service: "open-webui", title: "Open WebUI", home: "monk", url: `${quiet}/` },
    ];
    app = new MetricsApp(loadConfig(host.env({ SAMPLE_INTERVAL_MS: "60000", UPSTREAM_TIMEOUT_MS: "500", HOME_PROBES: JSON.stringify(probes) })));
    port = (await app.listen()).port;
  });
  afterAll(async () => {
    await app.close();
    await answering.stop();
    await silent.stop();
    host.remove();
  });

  test("says which homes answer from this host, and why the others do not", async () => {
    const r = await http(port, "/api/homes");
    expect(r.status).toBe(200);
    expect(r.json.enabled).toBe(true);
    expect(r.json.available).toBe(true);
    const homes = r.json.data.homes;
    expect(homes.map((h: any) => [h.service, h.home, h.answers, h.status])).toEqual([
      ["forgejo", "kscloud1", true, 302],
      ["kavita", "monk", false, null],
      ["open-webui", "monk", false, null],
    ]);
    expect(homes[0].ms).toBeGreaterThanOrEqual(0);
    expect(homes[1].error).toBe("ECONNREFUSED");
    expect(homes[2].error).toBe("timed out");
    expect(answering.requests).toContain("/");
  });

  test("is cached: a second request within HOMES_CACHE_SECONDS does not probe again", async () => {
    const before = answering.requests.length;
    await http(port, "/api/homes");
    expect(answering.requests.length).toBe(before);
  });
});

describe("HOME_PROBES configuration", () => {
  const host = new FixtureHost();
  afterAll(() => host.remove());

  test("unset: /api/homes says it is disabled (every service replicated)", async () => {
    const app = new MetricsApp(loadConfig(host.env({ SAMPLE_INTERVAL_MS: "60000" })));
    const { port } = await app.listen();
    try {
      const r = await http(port, "/api/homes");
      expect(r.json).toEqual({ enabled: false, available: false, reason: "HOME_PROBES is not set: every service is replicated" });
    } finally {
      await app.close();
    }
  });

  test("malformed: every bad entry is named", () => {
    expect(() => loadConfig(host.env({ HOME_PROBES: "{" }))).toThrow(/HOME_PROBES: is not a JSON list/);
    let error: unknown;
    try {
      loadConfig(host.env({ HOME_PROBES: JSON.stringify([{ service: "a", title: "A", home: "h", url: "ftp://x/" }, { service: "" }]) }));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([
      expect.stringMatching(/^HOME_PROBES\[0\]: needs non-empty service, title, home, url and an http:\/\/ url/),
      expect.stringMatching(/^HOME_PROBES\[1\]: needs non-empty/),
    ]);
  });
});
