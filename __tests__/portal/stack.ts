/**
 * The portal as it runs in production, locally: the committed site (what the image ships)
 * served by Debian's nginx with the real template, in front of a real metrics API process
 * whose weather and Forgejo upstreams are local fake servers.
 */
import { request } from "node:http";
import { SITE_DIR } from "../../portal/build/build";
import { MetricsProcess } from "../../portal/build/metrics-process";
import { LocalNginx } from "../../portal/build/nginx";
import { FakeUpstream, openMeteoBody } from "../metrics/helpers";

export const FORGEJO_USER = "kite-tester";
export const PUSH_REPO = "kite-tester/portal-fixture";
export const PUSH_MESSAGE = "Widen the telemetry column";

/** A Forgejo activity feed (API shape of /users/{user}/activities/feeds) with one push. */
export function forgejoFeed(): unknown[] {
  const content = JSON.stringify({
    Len: 2,
    Commits: [
      { Sha1: "a".repeat(40), Message: `${PUSH_MESSAGE}\n\nbody`, AuthorName: "Kite Tester", Timestamp: "2026-11-26T09:00:00Z" },
      { Sha1: "b".repeat(40), Message: "Tidy", AuthorName: "Kite Tester", Timestamp: "2026-11-26T08:59:00Z" },
    ],
  });
  return [
    {
      id: 501,
      op_type: "commit_repo",
      act_user: { login: FORGEJO_USER },
      repo: { id: 3, full_name: PUSH_REPO, html_url: `http://forgejo.invalid/${PUSH_REPO}` },
      ref_name: "refs/heads/main",
      content,
      created: new Date(Date.now() - 5 * 60_000).toISOString(),
    },
  ];
}

export class PortalStack {
  readonly weather = new FakeUpstream();
  readonly forgejo = new FakeUpstream();
  metrics!: MetricsProcess;
  nginx!: LocalNginx;

  /** Starts the fakes, the API (short caches so stale states show quickly) and nginx. */
  async start(extraEnv: Record<string, string> = {}): Promise<this> {
    this.weather.json(openMeteoBody(7.4));
    this.forgejo.json(forgejoFeed());
    const weatherBase = await this.weather.start();
    const forgejoBase = await this.forgejo.start();
    this.metrics = await MetricsProcess.start({
      WEATHER_LATITUDE: "52.52",
      WEATHER_LONGITUDE: "13.42",
      WEATHER_API_BASE: weatherBase,
      WEATHER_CACHE_SECONDS: "1",
      FORGEJO_API_BASE: `${forgejoBase}/api/v1`,
      FORGEJO_USER,
      ACTIVITY_CACHE_SECONDS: "1",
      UPSTREAM_TIMEOUT_MS: "1000",
      ...extraEnv,
    });
    this.nginx = await LocalNginx.start({ root: SITE_DIR, metricsUpstream: this.metrics.upstream });
    return this;
  }

  get url(): string {
    return this.nginx.url;
  }

  async stop(): Promise<void> {
    await Promise.all([this.nginx?.stop(), this.metrics?.stop()]);
    await Promise.all([this.weather.stop(), this.forgejo.stop()]);
  }
}

export interface RawReply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** The body exactly as sent (still compressed when content-encoding says so). */
  body: Buffer;
  ms: number;
}

/** One request with no automatic decompression, so sizes and encodings are as served. */
export function raw(url: string, opts: { method?: string; headers?: Record<string, string> } = {}): Promise<RawReply> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const req = request(url, { method: opts.method ?? "GET", headers: opts.headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks), ms: Date.now() - started }));
    });
    req.on("error", reject);
    req.end();
  });
}
