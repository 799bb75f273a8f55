import { createServer, Socket } from "node:net";
import { gunzipSync } from "node:zlib";
import { buildSite, SITE_DIR } from "../../portal/build/build";
import { LocalNginx } from "../../portal/build/nginx";
import { PortalStack, PUSH_REPO, raw } from "./stack";

const stack = new PortalStack();
const site = buildSite();
const gz = { "accept-encoding": "gzip" };

beforeAll(() => stack.start());
afterAll(() => stack.stop());

const header = (r: { headers: Record<string, string | string[] | undefined> }, name: string) => String(r.headers[name] ?? "");

describe("portal over HTTP (real nginx config, real metrics API)", () => {
  test.each(["/", `/${site.assets["app.js"]}`, "/does-not-exist", "/api/stats", "/healthz"])("security headers on %s", async (path) => {
    const r = await raw(stack.url + path);
    const csp = header(r, "content-security-policy");
    expect(csp).toMatch(/default-src 'none'/);
    expect(csp).toMatch(/script-src 'self'(;|$)/);
    expect(csp).toMatch(/style-src 'self'(;|$)/);
    expect(csp).toMatch(/frame-ancestors 'none'/);
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|\*|https?:/);
    expect(header(r, "x-content-type-options")).toBe("nosniff");
    expect(header(r, "x-frame-options")).toBe("DENY");
    expect(header(r, "referrer-policy")).toBe("no-referrer");
    expect(header(r, "server")).toBe("nginx"); // server_tokens off: no version
  });

  test("text is gzipped; the first load (HTML + CSS + JS + icon) is under 60 KB on the wire", async () => {
    let wire = 0;
    for (const path of ["/", ...Object.values(site.assets).map((a) => `/${a}`)]) {
      const r = await raw(stack.url + path, { headers: gz });
      expect({ path, status: r.status }).toEqual({ path, status: 200 });
      expect({ path, encoding: header(r, "content-encoding") }).toEqual({ path, encoding: "gzip" });
      expect(header(r, "vary")).toMatch(/Accept-Encoding/);
      const original = site.files.find((f) => `/${f.path}` === path || (path === "/" && f.path === "index.html"))!;
      expect(gunzipSync(r.body).equals(original.content)).toBe(true);
      wire += r.body.length;
    }
    expect(wire).toBeLessThan(60 * 1024);
  });

  test("cache headers: a year and immutable for fingerprinted assets, revalidate the pages", async () => {
    const asset = await raw(`${stack.url}/${site.assets["styles.css"]}`);
    expect(header(asset, "cache-control")).toBe("public, max-age=31536000, immutable");
    expect(header(asset, "content-type")).toMatch(/^text\/css/);
    for (const path of ["/", "/cards.json"]) {
      const r = await raw(stack.url + path);
      expect(header(r, "cache-control")).toBe("no-cache");
      expect(header(r, "etag")).not.toBe("");
    }
    const again = await raw(`${stack.url}/`, { headers: { "if-none-match": header(await raw(`${stack.url}/`), "etag") } });
    expect(again.status).toBe(304);
  });

  test("/healthz answers 200 ok without touching the API", async () => {
    const r = await raw(`${stack.url}/healthz`);
    expect(r.status).toBe(200);
    expect(r.body.toString()).toBe("ok\n");
    expect(header(r, "cache-control")).toBe("no-store");
  });

  test("/api/ is proxied to the metrics API: stats, weather and activity as JSON", async () => {
    const stats = await raw(`${stack.url}/api/stats`);
    expect(stats.status).toBe(200);
    expect(header(stats, "cache-control")).toBe("no-store"); // the API's own, not duplicated
    expect(JSON.parse(stats.body.toString())).toMatchObject({ cpu: expect.any(Object), memory: expect.any(Object) });
    const weather = JSON.parse((await raw(`${stack.url}/api/weather`)).body.toString());
    expect(weather).toMatchObject({ enabled: true, available: true, data: { current: { temperature_c: 7.4 } } });
    const activity = JSON.parse((await raw(`${stack.url}/api/activity?limit=3`)).body.toString());
    expect(activity.data.items[0].repo).toBe(PUSH_REPO);
    const missing = await raw(`${stack.url}/api/nope`);
    expect(missing.status).toBe(404);
    expect(JSON.parse(missing.body.toString())).toMatchObject({ error: "not_found" });
  });

  test("only GET and HEAD reach the API", async () => {
    expect((await raw(`${stack.url}/api/stats`, { method: "POST" })).status).toBe(403);
    expect((await raw(`${stack.url}/api/stats`, { method: "HEAD" })).status).toBe(200);
  });

  test("no directory listing and real 404s (the custom page, not an nginx banner)", async () => {
    for (const path of ["/assets/", "/assets", "/nope.html", "/.git/config", "/cards.json/"]) {
      const r = await raw(stack.url + path);
      expect({ path, status: r.status }).toEqual({ path, status: 404 });
      expect(r.body.toString()).not.toMatch(/Index of|<pre>/);
      expect(r.body.toString()).toContain("Signal lost");
    }
    // A missing fingerprinted asset must not be cached for a year.
    const gone = await raw(`${stack.url}/assets/app.0000000000.js`);
    expect(gone.status).toBe(404);
    expect(header(gone, "cache-control")).toBe("no-cache");
  });
});

describe("portal when the metrics API misbehaves", () => {
  test("API down: /api/ fails fast with 502, the page is still served", async () => {
    const nginx = await LocalNginx.start({ root: SITE_DIR, metricsUpstream: "127.0.0.1:9" });
    try {
      const api = await raw(`${nginx.url}/api/stats`);
      expect(api.status).toBe(502);
      expect(api.ms).toBeLessThan(1000);
      expect((await raw(`${nginx.url}/`)).status).toBe(200);
    } finally {
      await nginx.stop();
    }
  });

  test("API hangs: /api/ gives up after the read timeout (504) while static files stay fast", async () => {
    const sockets: Socket[] = [];
    const hung = createServer((s) => sockets.push(s)); // accepts, never answers
    await new Promise<void>((r) => hung.listen(0, "127.0.0.1", r));
    const nginx = await LocalNginx.start({ root: SITE_DIR, metricsUpstream: `127.0.0.1:${(hung.address() as { port: number }).port}` });
    try {
      const pending = raw(`${nginx.url}/api/stats`);
      const page = await raw(`${nginx.url}/`);
      expect(page.status).toBe(200);
      expect(page.ms).toBeLessThan(500);
      const api = await pending;
      expect(api.status).toBe(504);
      expect(api.ms).toBeGreaterThanOrEqual(4500);
      expect(api.ms).toBeLessThan(8000);
    } finally {
      await nginx.stop();
      sockets.forEach((s) => s.destroy());
      hung.close();
    }
  });
});
