/** Shared helpers for the metrics API tests: fixture trees, fake upstreams, HTTP client. */
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { createServer, request, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig } from "../../metrics/src/config";
import { MetricsApp } from "../../metrics/src/server";

export const FIXTURES = join(__dirname, "fixtures");
export const REPO_ROOT = join(__dirname, "..", "..");

/** A writable copy of the fixture host: proc/ holds the t0 files, sys/ and disk/ the static ones. */
export class FixtureHost {
  readonly root = mkdtempSync(join(tmpdir(), "metrics-host-"));
  readonly proc = join(this.root, "proc");
  readonly sys = join(FIXTURES, "sys");
  readonly disk = join(FIXTURES, "disk");

  constructor() {
    this.use("t0");
  }

  /** Copies the procfs files of a time step (t0, t1) over proc/, simulating time passing. */
  use(step: "t0" | "t1"): void {
    cpSync(join(FIXTURES, step, "proc"), this.proc, { recursive: true });
  }

  env(extra: Record<string, string> = {}): Record<string, string> {
    return { PORT: "0", HOST: "127.0.0.1", PROC_ROOT: this.proc, SYS_ROOT: this.sys, DISK_PATH: this.disk, ...extra };
  }

  remove(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}

export interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  json: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** One HTTP request to 127.0.0.1 (no keep-alive so servers close promptly). */
export function http(port: number, path: string, method = "GET"): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, path, method, agent: false }, (res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        let json: unknown;
        try {
          json = text ? JSON.parse(text) : undefined;
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
      });
    });
    req.on("error", reject);
    req.end();
  });
}

export type FakeBehaviour = (req: IncomingMessage, res: ServerResponse) => void;

/** A local HTTP server standing in for Open-Meteo or Forgejo; its behaviour can be swapped. */
export class FakeUpstream {
  behaviour: FakeBehaviour = (_req, res) => res.end("{}");
  readonly requests: string[] = [];
  readonly headers: IncomingHttpHeaders[] = [];
  private readonly server: Server = createServer((req, res) => {
    this.requests.push(req.url ?? "");
    this.headers.push(req.headers);
    this.behaviour(req, res);
  });
  port = 0;
  private readonly timers = new Set<NodeJS.Timeout>();

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return `http://127.0.0.1:${this.port}`;
  }

  json(body: unknown, status = 200, delayMs = 0): void {
    this.behaviour = (_req, res) => {
      const send = (): void => {
        if (res.destroyed) return;
        res.writeHead(status, { "content-type": "application/json" });
        res.end(typeof body === "string" ? body : JSON.stringify(body));
      };
      if (delayMs <= 0) return send();
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        send();
      }, delayMs);
      this.timers.add(timer);
    };
  }

  /** Holds every response until release() is called, then answers with `body`. */
  hold(body: unknown): () => void {
    const waiting: ServerResponse[] = [];
    this.behaviour = (_req, res) => void waiting.push(res);
    return () => {
      this.json(body);
      for (const res of waiting.splice(0)) {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify(body));
      }
    };
  }

  async stop(): Promise<void> {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** A settable wall clock. */
export function fakeClock(start = Date.parse("2026-11-26T12:00:00Z")): { now: () => number; advance: (ms: number) => void } {
  let t = start;
  return { now: () => t, advance: (ms) => (t += ms) };
}

/** An Open-Meteo forecast response as the real API shapes it. */
export function openMeteoBody(temperature = 7.4): unknown {
  return {
    latitude: 52.52,
    longitude: 13.419998,
    generationtime_ms: 0.08,
    utc_offset_seconds: 3600,
    timezone: "Europe/Berlin",
    timezone_abbreviation: "GMT+1",
    elevation: 38,
    current_units: { time: "iso8601", interval: "seconds", temperature_2m: "°C" },
    current: {
      time: "2026-11-26T13:00",
      interval: 900,
      temperature_2m: temperature,
      apparent_temperature: 4.1,
      relative_humidity_2m: 81,
      wind_speed_10m: 14.8,
      wind_direction_10m: 242,
      weather_code: 3,
      is_day: 1,
    },
    daily_units: { time: "iso8601" },
    daily: {
      time: ["2026-11-26", "2026-11-27", "2026-11-28"],
      weather_code: [3, 61, 0],
      temperature_2m_max: [8.1, 6.5, 4.2],
      temperature_2m_min: [2.3, 1.9, -1.4],
      precipitation_sum: [0, 4.6, 0],
      precipitation_probability_max: [10, 85, 3],
    },
  };
}

/** A metrics app in-process on a fixture host, talking to one fake upstream, with a fake wall clock. */
export interface Rig {
  host: FixtureHost;
  fake: FakeUpstream;
  app: MetricsApp;
  port: number;
  clock: ReturnType<typeof fakeClock>;
  stop: () => Promise<void>;
}

export async function startRig(env: (base: string) => Record<string, string>, prime: (fake: FakeUpstream) => void): Promise<Rig> {
  const host = new FixtureHost();
  const fake = new FakeUpstream();
  const base = await fake.start();
  prime(fake);
  const clock = fakeClock();
  const app = new MetricsApp(loadConfig(host.env({ SAMPLE_INTERVAL_MS: "60000", ...env(base) })), { now: clock.now });
  const { port } = await app.listen();
  const stop = async (): Promise<void> => {
    await app.close();
    await fake.stop();
    host.remove();
  };
  return { host, fake, app, port, clock, stop };
}

/** Registers beforeAll/afterAll for a rig and returns it (filled in once beforeAll has run). */
export function useRig(env: (base: string) => Record<string, string>, prime: (fake: FakeUpstream) => void): Rig {
  const rig = {} as Rig;
  beforeAll(async () => void Object.assign(rig, await startRig(env, prime)));
  afterAll(() => rig.stop());
  return rig;
}
