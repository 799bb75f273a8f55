/**
 * The HTTP server (node:http, no framework): routing from the ROUTES table,
 * JSON errors (404, 405 + Allow, 400 naming the parameter), graceful close.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { type Activity, fetchActivity } from "./activity";
import { readBackups } from "./backups";
import { type CacheResult, UpstreamCache } from "./cache";
import type { Config } from "./config";
import { ALLOWED_METHODS, buildOpenApi, ROUTES, type RoutePath, type RouteSpec } from "./openapi";
import { Sampler } from "./sampler";
import { fetchWeather, type Weather } from "./weather";
import { fetchHomes, type Homes } from "./homes";

export const VERSION = "1.0.0";

export interface AppOptions {
  /** Wall clock for caches and timestamps (tests inject a fake one). */
  now?: () => number;
  /** Monotonic clock for the sampler's rates. */
  monotonic?: () => number;
  /** How long close() lets in-flight requests run before cutting connections. */
  shutdownGraceMs?: number;
}

type Params = Map<string, number>;
type Handler = (res: ServerResponse, params: Params) => void | Promise<void>;

const ALLOW = ALLOWED_METHODS.join(", ");
const JSON_TYPE = "application/json; charset=utf-8";

export class MetricsApp {
  readonly config: Config;
  readonly sampler: Sampler;
  readonly weather: UpstreamCache<Weather> | null;
  readonly activity: UpstreamCache<Activity> | null;
  readonly homes: UpstreamCache<Homes> | null;
  readonly server: Server;
  private readonly startedAt: number;
  private readonly openApiBody: Buffer;
  private readonly handlers: Record<RoutePath, Handler>;
  private readonly routes: Map<string, [RouteSpec, Handler]>;
  private readonly shutdownGraceMs: number;
  private closing: Promise<void> | undefined;

  constructor(config: Config, opts: AppOptions = {}) {
    this.config = config;
    const now = opts.now ?? Date.now;
    this.startedAt = now();
    this.shutdownGraceMs = opts.shutdownGraceMs ?? 10_000;
    this.sampler = new Sampler({ ...config, monotonic: opts.monotonic, wallClock: now });
    const cache = <T>(name: string, cacheSeconds: number, fetch: (signal: AbortSignal) => Promise<T>): UpstreamCache<T> =>
      new UpstreamCache({ name, ttlMs: cacheSeconds * 1000, timeoutMs: config.upstreamTimeoutMs, fetch, now });
    this.weather = config.weather ? cache("open-meteo", config.weather.cacheSeconds, fetchWeather(config.weather)) : null;
    this.activity = config.activity ? cache("forgejo", config.activity.cacheSeconds, fetchActivity(config.activity)) : null;
    this.homes =
      config.homeProbes.length > 0
        ? // Each probe is bounded by the upstream timeout; the whole round gets a second more.
          new UpstreamCache({ name: "homes", ttlMs: config.homesCacheSeconds * 1000, timeoutMs: config.upstreamTimeoutMs + 1000, fetch: fetchHomes(config.homeProbes, config.upstreamTimeoutMs), now })
        : null;
    this.openApiBody = Buffer.from(JSON.stringify(buildOpenApi(VERSION)));
    this.handlers = {
      "/api/stats": (res) => this.stats(res),
      "/api/weather": (res) => this.cached(res, this.weather, "WEATHER_LATITUDE and WEATHER_LONGITUDE are not set", (d) => d),
      "/api/activity": (res, params) =>
        this.cached(res, this.activity, "FORGEJO_API_BASE is not set", (d) => {
          const limit = params.get("limit");
          return limit === undefined ? d : { ...d, items: d.items.slice(0, limit) };
        }),
      "/api/homes": (res) => this.cached(res, this.homes, "HOME_PROBES is not set: every service is replicated", (d) => d),
      "/api/backups": (res) => {
        const dir = this.config.backupStatusDir;
        const body = dir ? readBackups(dir, now()) : { enabled: false, available: false, reason: "BACKUP_STATUS_DIR is not set" };
        send(res, 200, Buffer.from(JSON.stringify(body)), this.closing !== undefined);
      },
      "/api/health": (res) => this.health(res, now),
      "/api/openapi.json": (res) => send(res, 200, this.openApiBody, this.closing !== undefined),
    };
    this.routes = new Map(
      (Object.keys(ROUTES) as RoutePath[]).map((p) => [p, [ROUTES[p] as RouteSpec, this.handlers[p]]] as const),
    );
    this.server = createServer((req, res) => this.handle(req, res));
    this.server.keepAliveTimeout = 5_000;
  }

  /** Paths the server dispatches on (the OpenAPI test compares them with the document). */
  routePaths(): string[] {
    return [...this.routes.keys()];
  }

  /** Takes a first sample, warms the caches, then listens. */
  async listen(): Promise<AddressInfo> {
    await this.sampler.start();
    void this.weather?.refresh();
    void this.activity?.refresh();
    void this.homes?.refresh();
    await new Promise<void>((resolve, reject) => {
      this.server.once("error", reject);
      this.server.listen(this.config.port, this.config.host, () => {
        this.server.off("error", reject);
        resolve();
      });
    });
    return this.server.address() as AddressInfo;
  }

  /**
   * Graceful shutdown: stop the sampler, stop accepting connections, let
   * in-flight requests finish (up to shutdownGraceMs), then abort upstream calls.
   */
  close(): Promise<void> {
    this.closing ??= (async () => {
      const samplerStopped = this.sampler.stop();
      const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
      this.server.closeIdleConnections();
      const force = setTimeout(() => this.server.closeAllConnections(), this.shutdownGraceMs);
      await closed;
      clearTimeout(force);
      this.weather?.abort();
      this.activity?.abort();
      this.homes?.abort();
      await samplerStopped;
    })();
    return this.closing;
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const url = req.url ?? "/";
    const q = url.indexOf("?");
    const path = q === -1 ? url : url.slice(0, q);
    const route = this.routes.get(path);
    const closing = this.closing !== undefined;
    if (!route) {
      sendError(res, 404, "not_found", `no route for ${path}; see /api/openapi.json`, closing);
      return;
    }
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.setHeader("allow", ALLOW);
      sendError(res, 405, "method_not_allowed", `${req.method} is not allowed on ${path}; use ${ALLOW}`, closing);
      return;
    }
    const params: Params = new Map();
    if (q !== -1) {
      const problem = parseQuery(url.slice(q + 1), route[0], params);
      if (problem) {
        sendError(res, 400, "bad_request", problem, closing);
        return;
      }
    }
    try {
      const done = route[1](res, params);
      if (done) done.catch((err: unknown) => this.fail(res, err));
    } catch (err) {
      this.fail(res, err);
    }
  }

  private fail(res: ServerResponse, err: unknown): void {
    process.stderr.write(`${JSON.stringify({ level: "error", msg: "handler failed", error: String(err) })}\n`);
    if (!res.headersSent) sendError(res, 500, "internal_error", "internal error", this.closing !== undefined);
  }

  private stats(res: ServerResponse): void {
    const body = this.sampler.body;
    if (!body) {
      sendError(res, 503, "no_sample", `no host sample yet: ${this.sampler.lastError ?? "sampling"}`, this.closing !== undefined);
      return;
    }
    send(res, 200, body, this.closing !== undefined);
  }

  private health(res: ServerResponse, now: () => number): void {
    const age = this.sampler.ageMs();
    const interval = this.config.sampleIntervalMs;
    const fresh = age !== null && age < Math.max(3 * interval, 5000);
    const body = {
      status: fresh ? "ok" : "degraded",
      uptime_seconds: Math.floor((now() - this.startedAt) / 1000),
      sampler: { fresh, age_ms: age === null ? null : Math.round(age), interval_ms: interval, last_error: this.sampler.lastError ?? null },
    };
    send(res, fresh ? 200 : 503, Buffer.from(JSON.stringify(body)), this.closing !== undefined);
  }

  private async cached<T>(res: ServerResponse, cache: UpstreamCache<T> | null, disabledReason: string, view: (d: T) => T): Promise<void> {
    let body: object;
    if (!cache) {
      body = { enabled: false, available: false, reason: disabledReason };
    } else {
      const r: CacheResult<T> = await cache.get();
      body = r.available ? { enabled: true, ...r, data: view(r.data) } : { enabled: true, ...r };
    }
    send(res, 200, Buffer.from(JSON.stringify(body)), this.closing !== undefined);
  }
}

/** Parses the query string against the route's parameters; returns a message naming the bad parameter. */
export function parseQuery(query: string, spec: RouteSpec, out: Params): string | undefined {
  for (const [name, value] of new URLSearchParams(query)) {
    const p = spec.query.find((x) => x.name === name);
    if (!p) {
      const known = spec.query.map((x) => x.name);
      return `unknown query parameter "${name}"; ${known.length ? `allowed: ${known.join(", ")}` : "this route takes none"}`;
    }
    if (out.has(name)) return `query parameter "${name}" is given more than once`;
    const n = /^\d+$/.test(value) ? Number(value) : NaN;
    if (!(n >= p.minimum && n <= p.maximum)) {
      return `query parameter "${name}": "${value}" is not an integer in ${p.minimum}-${p.maximum}`;
    }
    out.set(name, n);
  }
  return undefined;
}

function send(res: ServerResponse, status: number, body: Buffer, closing: boolean): void {
  res.writeHead(status, {
    "content-type": JSON_TYPE,
    "content-length": body.length,
    "cache-control": "no-store",
    "x-content-type-options": "nosniff",
    ...(closing ? { connection: "close" } : undefined),
  });
  res.end(body);
}

function sendError(res: ServerResponse, status: number, error: string, message: string, closing: boolean): void {
  send(res, status, Buffer.from(JSON.stringify({ error, message, status })), closing);
}
