/**
 * Benchmark of the metrics API against a bare node:http server returning a constant
 * body of the same size, both as separate child processes, measured in the same run.
 *
 *   npm run bench:metrics            (BENCH_RUNS=3 BENCH_SECONDS=5 BENCH_CONNECTIONS=10 BENCH_IDLE_SECONDS=30)
 *
 * The metrics API is compiled with tsc first and run as plain JavaScript, as in the image.
 * Load comes from autocannon inside this process. Exit code 1 if a target fails.
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";

interface AutocannonResult {
  requests: { average: number };
  latency: { p50: number; p99: number };
  errors: number;
  non2xx: number;
}
// autocannon ships no type declarations; this is the part of its API used here.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const autocannon = require("autocannon") as (opts: {
  url: string;
  connections: number;
  duration: number;
  pipelining?: number;
}) => Promise<AutocannonResult>;

const ROOT = join(__dirname, "..");
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const IDLE_SECONDS = Number(process.env.BENCH_IDLE_SECONDS ?? 30);
/** Start-up work (module loading, JIT warm-up) is not idleness: wait this long before measuring. */
const IDLE_SETTLE_SECONDS = 5;
const IDLE_WINDOWS = 5;

interface Server {
  name: string;
  child: ChildProcess;
  port: number;
}

function start(name: string, args: string[], env: Record<string, string>): Promise<Server> {
  const child = spawn(process.execPath, args, { env: { PATH: process.env.PATH ?? "", ...env }, stdio: ["ignore", "pipe", "inherit"] });
  return new Promise((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (d: Buffer) => {
      out += d.toString();
      const m = /"port":(\d+)/.exec(out);
      if (m) resolve({ name, child, port: Number(m[1]) });
    });
    child.on("exit", (code) => reject(new Error(`${name} exited with ${code}`)));
  });
}

function get(port: number, path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    request({ host: "127.0.0.1", port, path, agent: false }, (res) => {
      let body = "";
      res.on("data", (d: Buffer) => (body += d.toString()));
      res.on("end", () => resolve(body));
    })
      .on("error", reject)
      .end();
  });
}

/** The node flags of the image's CMD (metrics/Dockerfile), so the bench runs what production runs. */
function imageNodeFlags(): string[] {
  const dockerfile = readFileSync(join(ROOT, "metrics", "Dockerfile"), "utf8");
  const cmd = /^CMD (\[.*\])$/m.exec(dockerfile);
  if (!cmd) throw new Error("metrics/Dockerfile has no exec-form CMD");
  const argv = JSON.parse(cmd[1]) as string[];
  return argv.slice(1).filter((a) => a.startsWith("--"));
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Nanoseconds every thread of the process has spent on a CPU (first field of schedstat). */
function cpuNanos(pid: number): number {
  return readdirSync(`/proc/${pid}/task`).reduce(
    (sum, tid) => sum + Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, "utf8").split(" ")[0]),
    0,
  );
}

function peakRssMb(pid: number): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return m ? Number(m[1]) / 1024 : NaN;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};

async function main(): Promise<void> {
  const dist = mkdtempSync(join(tmpdir(), "metrics-bench-"));
  const servers: Server[] = [];
  try {
    execFileSync(process.execPath, [join(ROOT, "node_modules/typescript/bin/tsc"), "-p", join(ROOT, "metrics/tsconfig.json"), "--outDir", dist], {
      stdio: "inherit",
    });
    const metrics = await start("metrics", [...imageNodeFlags(), join(dist, "main.js")], { PORT: "0", HOST: "127.0.0.1" });
    servers.push(metrics);
    await sleep(1500); // let the sampler take a second sample so rates are present
    const body = await get(metrics.port, "/api/stats");
    const bareSrc =
      `const b=Buffer.from(${JSON.stringify(body)});` +
      `const s=require("node:http").createServer((q,r)=>{r.writeHead(200,{"content-type":"application/json; charset=utf-8","content-length":b.length,"cache-control":"no-store"});r.end(b)});` +
      `s.listen(0,"127.0.0.1",()=>console.log(JSON.stringify({port:s.address().port})));` +
      `process.on("SIGTERM",()=>s.close(()=>process.exit(0)));`;
    const bare = await start("bare", ["-e", bareSrc], {});
    servers.push(bare);

    // Idle CPU of both, over the same windows, in steady state before any load: the median of
    // IDLE_WINDOWS windows, each measured in nanoseconds on CPU (schedstat), because tick-based
    // utime/stime over-charges a process that wakes once a second.
    await sleep(IDLE_SETTLE_SECONDS * 1000);
    const windows: number[][] = servers.map(() => []);
    for (let w = 0; w < IDLE_WINDOWS; w++) {
      const t0 = servers.map((s) => cpuNanos(s.child.pid!));
      const wall0 = process.hrtime.bigint();
      await sleep((IDLE_SECONDS * 1000) / IDLE_WINDOWS);
      const wallNs = Number(process.hrtime.bigint() - wall0);
      servers.forEach((s, i) => windows[i].push(((cpuNanos(s.child.pid!) - t0[i]) / wallNs) * 100));
    }
    const idle = windows.map(median);

    // Warm up, then alternate runs so both servers see the same machine conditions.
    for (const s of servers) await autocannon({ url: `http://127.0.0.1:${s.port}/api/stats`, connections: CONNECTIONS, duration: 1 });
    const results: Record<string, AutocannonResult[]> = { metrics: [], bare: [] };
    for (let run = 1; run <= RUNS; run++) {
      for (const s of servers) {
        const r = await autocannon({ url: `http://127.0.0.1:${s.port}/api/stats`, connections: CONNECTIONS, duration: SECONDS });
        if (r.errors || r.non2xx) throw new Error(`${s.name}: ${r.errors} errors, ${r.non2xx} non-2xx responses`);
        results[s.name].push(r);
        process.stdout.write(
          `run ${run} ${s.name.padEnd(7)} ${Math.round(r.requests.average)} req/s  p50 ${r.latency.p50} ms  p99 ${r.latency.p99} ms\n`,
        );
      }
    }
    const rss = servers.map((s) => peakRssMb(s.child.pid!));

    const m = (name: string, pick: (r: AutocannonResult) => number): number => median(results[name].map(pick));
    const rps = [m("metrics", (r) => r.requests.average), m("bare", (r) => r.requests.average)];
    const p50 = [m("metrics", (r) => r.latency.p50), m("bare", (r) => r.latency.p50)];
    const p99 = [m("metrics", (r) => r.latency.p99), m("bare", (r) => r.latency.p99)];
    const ratio = rps[0] / rps[1];
    const rows: [string, string, string, string, string, boolean | null][] = [
      ["req/s (median)", rps[0].toFixed(0), rps[1].toFixed(0), ratio.toFixed(2), ">= 0.5 x bare", ratio >= 0.5],
      ["p50 latency (ms)", p50[0].toFixed(2), p50[1].toFixed(2), "", "", null],
      ["p99 latency (ms)", p99[0].toFixed(2), p99[1].toFixed(2), "", "< 5 ms", p99[0] < 5],
      ["peak RSS (MB)", rss[0].toFixed(1), rss[1].toFixed(1), (rss[0] / rss[1]).toFixed(2), "< 80 MB", rss[0] < 80],
      [`idle CPU (% core, median of ${IDLE_WINDOWS}x${IDLE_SECONDS / IDLE_WINDOWS}s)`, idle[0].toFixed(2), idle[1].toFixed(2), "", "< 1 %", idle[0] < 1],
    ];
    const head = ["metric", "metrics", "bare", "ratio", "target", "result"];
    const table = [head, ...rows.map((r) => [r[0], r[1], r[2], r[3], r[4], r[5] === null ? "" : r[5] ? "PASS" : "FAIL"])];
    const widths = head.map((_, c) => Math.max(...table.map((r) => r[c].length)));
    process.stdout.write(
      `\nmetrics API vs bare node:http, ${RUNS} runs x ${SECONDS}s, ${CONNECTIONS} connections, node ${process.version}\n`,
    );
    for (const r of table) process.stdout.write(`${r.map((v, c) => v.padEnd(widths[c])).join("  ")}\n`);
    process.stdout.write("(autocannon reports latency in whole milliseconds: 0 means under 1 ms)\n");
    if (rows.some((r) => r[5] === false)) process.exitCode = 1;
  } finally {
    for (const s of servers) {
      s.child.removeAllListeners("exit");
      s.child.kill("SIGTERM");
    }
    rmSync(dist, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
