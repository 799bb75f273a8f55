import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";
import { FakeUpstream, FixtureHost, http, openMeteoBody, REPO_ROOT } from "./helpers";

interface Running {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
}

function startChild(env: Record<string, string>): Running {
  const child = spawn(process.execPath, ["--import", "tsx", join(REPO_ROOT, "metrics/src/main.ts")], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH ?? "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  child.stdout!.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, stdout: () => out, stderr: () => err, exited };
}

async function listeningPort(r: Running): Promise<number> {
  for (let i = 0; i < 200; i++) {
    const line = r.stdout().split("\n").find((l) => l.includes('"msg":"listening"'));
    if (line) return (JSON.parse(line) as { port: number }).port;
    if (r.child.exitCode !== null) throw new Error(`child exited: ${r.stderr()}`);
    await new Promise((res) => setTimeout(res, 50));
  }
  throw new Error(`child did not start: ${r.stderr()}`);
}

describe("metrics API as a process", () => {
  let host: FixtureHost;
  beforeAll(() => (host = new FixtureHost()));
  afterAll(() => host.remove());

  test("bad configuration: one message listing every bad variable, exit code 2", async () => {
    const r = startChild(host.env({ PORT: "70000", SAMPLE_INTERVAL_MS: "5", WEATHER_LATITUDE: "12" }));
    expect(await r.exited).toBe(2);
    const lines = r.stderr().trim().split("\n");
    expect(lines[0]).toBe("metrics: invalid configuration (3 problems):");
    expect(lines.slice(1)).toEqual([
      '  - PORT: "70000" is outside 0-65535 (0 picks a free port)',
      '  - SAMPLE_INTERVAL_MS: "5" is outside 100-60000',
      "  - WEATHER_LONGITUDE: is unset while WEATHER_LATITUDE is set; set both or neither",
    ]);
  });

  test("SIGTERM: the in-flight request completes, new connections are refused, exit code 0", async () => {
    const fake = new FakeUpstream();
    const base = await fake.start();
    const release = fake.hold(openMeteoBody());
    const r = startChild(
      host.env({ WEATHER_LATITUDE: "52.52", WEATHER_LONGITUDE: "13.41", WEATHER_API_BASE: base, UPSTREAM_TIMEOUT_MS: "5000" }),
    );
    try {
      const port = await listeningPort(r);
      const stats = await http(port, "/api/stats");
      expect(stats.status).toBe(200);
      expect(stats.json.hostname).toBe("kscloud1");
      // The weather request waits on the first fill, which the fake upstream holds.
      const inflight = http(port, "/api/weather");
      await new Promise((res) => setTimeout(res, 300));
      r.child.kill("SIGTERM");
      await new Promise((res) => setTimeout(res, 500));
      expect(r.child.exitCode).toBeNull(); // still finishing the in-flight request
      expect(r.stdout()).toContain('"msg":"shutting down","signal":"SIGTERM"');
      release();
      const reply = await inflight;
      expect(reply.status).toBe(200);
      expect(reply.json).toMatchObject({ enabled: true, available: true, stale: false });
      expect(reply.headers.connection).toBe("close");
      await expect(http(port, "/api/health")).rejects.toThrow(/ECONNREFUSED/);
      expect(await r.exited).toBe(0);
      expect(r.stdout()).toContain('"msg":"shutting down","signal":"SIGTERM"');
      expect(r.stdout()).toContain('"msg":"stopped"');
    } finally {
      r.child.kill("SIGKILL");
      await fake.stop();
    }
  });

  test("SIGINT with nothing in flight exits 0 promptly", async () => {
    const r = startChild(host.env());
    await listeningPort(r);
    const t0 = Date.now();
    r.child.kill("SIGINT");
    expect(await r.exited).toBe(0);
    expect(Date.now() - t0).toBeLessThan(5000);
  });
});
