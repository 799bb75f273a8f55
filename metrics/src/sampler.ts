/**
 * Background sampler: reads the host's procfs/sysfs/statfs, turns counters into
 * rates against the previous sample, and keeps the latest result as a
 * pre-serialised JSON body so a request never waits on I/O.
 */
import { readdirSync, readFileSync } from "node:fs";
import { statfs } from "node:fs/promises";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { isExcluded } from "./config";
import {
  counterDelta,
  cpuPercent,
  type CpuStat,
  type NetCounters,
  parseLoadavg,
  parseMeminfo,
  parseNetDev,
  parseStat,
  parseUptime,
  round1,
} from "./proc";

export interface SamplerOptions {
  procRoot: string;
  sysRoot: string;
  diskPath: string;
  sampleIntervalMs: number;
  hostnameOverride?: string;
  netExclude: readonly string[];
  /** Monotonic milliseconds, used for rates (injectable for tests). */
  monotonic?: () => number;
  /** Wall-clock milliseconds, used for timestamps (injectable for tests). */
  wallClock?: () => number;
}

export interface InterfaceStats {
  name: string;
  /** False when NET_EXCLUDE leaves the interface out of the totals. */
  counted: boolean;
  operstate: string | null;
  speed_mbps: number | null;
  rx_bytes: number;
  tx_bytes: number;
  /** null on the first sample that sees the interface. */
  rx_bytes_per_sec: number | null;
  tx_bytes_per_sec: number | null;
}

export interface Stats {
  hostname: string;
  sampled_at: string;
  sample_interval_ms: number;
  uptime_seconds: number;
  cpu: { count: number; percent: number | null; per_core: (number | null)[] };
  load: { load1: number; load5: number; load15: number; runnable: number; processes: number };
  memory: {
    total_bytes: number;
    available_bytes: number;
    used_bytes: number;
    free_bytes: number;
    buffers_bytes: number;
    cached_bytes: number;
    percent: number;
  };
  swap: { total_bytes: number; used_bytes: number; free_bytes: number; percent: number };
  disk: { path: string; total_bytes: number; used_bytes: number; free_bytes: number; available_bytes: number; percent: number };
  network: {
    excluded: readonly string[];
    total: { rx_bytes_per_sec: number | null; tx_bytes_per_sec: number | null };
    interfaces: InterfaceStats[];
  };
  temperatures: { zone: string; type: string; celsius: number }[];
}

interface Previous {
  at: number;
  cpu: CpuStat;
  net: Map<string, NetCounters>;
}

/** How many samples the sysfs link state and the thermal zone list are reused for. */
export const SYSFS_EVERY = 10;

const pct = (part: number, whole: number): number => (whole > 0 ? round1((part / whole) * 100) : 0);

/**
 * procfs and sysfs files are generated in memory by the kernel and read in microseconds, so
 * they are read synchronously: an async read costs an open/fstat/read/close round trip through
 * the thread pool per file, which made up most of the idle CPU. Requests still never wait on
 * a sample: they are served the latest pre-serialised body.
 */
const readText = (path: string): string => readFileSync(path, "utf8");

function readOptional(path: string): string | null {
  try {
    return readText(path);
  } catch {
    return null;
  }
}

export class Sampler {
  private readonly opts: SamplerOptions;
  private readonly monotonic: () => number;
  private readonly wallClock: () => number;
  private previous: Previous | undefined;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = true;
  private queue: Promise<void> = Promise.resolve();
  private samples = 0;
  /** sysfs link state changes rarely: re-read every SYSFS_EVERY samples, not every second. */
  private linkInfo = new Map<string, { operstate: string | null; speed_mbps: number | null }>();
  private thermalZones: string[] | undefined;

  /** The latest successful sample and its JSON body. */
  latest: Stats | undefined;
  body: Buffer | undefined;
  /** Monotonic time of the latest successful sample. */
  latestAt: number | undefined;
  lastError: string | undefined;

  /** The procfs files read every sample, joined once. */
  private readonly procPaths: Record<"stat" | "meminfo" | "loadavg" | "uptime" | "netDev" | "hostname", string>;

  constructor(opts: SamplerOptions) {
    this.opts = opts;
    const proc = (file: string) => join(opts.procRoot, file);
    this.procPaths = {
      stat: proc("stat"),
      meminfo: proc("meminfo"),
      loadavg: proc("loadavg"),
      uptime: proc("uptime"),
      netDev: proc("net/dev"),
      hostname: proc("sys/kernel/hostname"),
    };
    this.monotonic = opts.monotonic ?? (() => performance.now());
    this.wallClock = opts.wallClock ?? Date.now;
  }

  /** Age of the latest sample in ms, or null if there is none yet. */
  ageMs(): number | null {
    return this.latestAt === undefined ? null : this.monotonic() - this.latestAt;
  }

  /** Takes the first sample (the returned promise settles after it), then one every interval. */
  start(): Promise<void> {
    if (!this.stopped) return Promise.resolve();
    this.stopped = false;
    const tick = (): Promise<void> => {
      const started = this.monotonic();
      this.running = this.sample().finally(() => {
        this.running = undefined;
        if (this.stopped) return;
        const delay = Math.max(0, this.opts.sampleIntervalMs - (this.monotonic() - started));
        this.timer = setTimeout(tick, delay);
      });
      return this.running;
    };
    return tick();
  }

  /** Stops the timer and waits for a sample in progress. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /**
   * Takes one sample now (after any sample in progress: samples never overlap).
   * Errors are recorded in lastError and keep the previous sample.
   */
  sample(): Promise<void> {
    this.queue = this.queue.then(async () => {
      try {
        const stats = await this.read();
        this.latest = stats;
        this.body = Buffer.from(JSON.stringify(stats));
        this.lastError = undefined;
      } catch (err) {
        this.lastError = err instanceof Error ? err.message : String(err);
      }
    });
    return this.queue;
  }

  private async read(): Promise<Stats> {
    const { diskPath } = this.opts;
    const refreshSys = this.samples++ % SYSFS_EVERY === 0;
    // statfs may touch a real filesystem: the one read that stays asynchronous.
    const fs = await statfs(diskPath);
    const paths = this.procPaths;
    const statText = readText(paths.stat);
    const memText = readText(paths.meminfo);
    const loadText = readText(paths.loadavg);
    const upText = readText(paths.uptime);
    const netText = readText(paths.netDev);
    const hostText = this.opts.hostnameOverride === undefined ? readText(paths.hostname) : undefined;
    const temperatures = this.readTemperatures(refreshSys);
    const at = this.monotonic();
    const cpu = parseStat(statText);
    const net = parseNetDev(netText);
    const prev = this.previous;
    const elapsed = prev ? (at - prev.at) / 1000 : 0;

    const coreIds = [...cpu.cores.keys()].sort((a, b) => a - b);
    const perCore = coreIds.map((id) => cpuPercent(prev?.cpu.cores.get(id), cpu.cores.get(id)!));

    const mem = parseMeminfo(memText);
    const m = (k: string): number => mem.get(k) ?? 0;
    const memTotal = m("MemTotal");
    const available = mem.get("MemAvailable") ?? m("MemFree") + m("Buffers") + m("Cached");
    const swapTotal = m("SwapTotal");
    const swapUsed = swapTotal - m("SwapFree");

    const diskTotal = fs.blocks * fs.bsize;
    const diskFree = fs.bfree * fs.bsize;
    const diskAvail = fs.bavail * fs.bsize;
    const diskUsed = diskTotal - diskFree;

    const interfaces = this.interfaces(net, prev, elapsed, refreshSys);
    let rxTotal = 0;
    let txTotal = 0;
    let anyRate = false;
    for (const i of interfaces) {
      if (!i.counted || i.rx_bytes_per_sec === null || i.tx_bytes_per_sec === null) continue;
      anyRate = true;
      rxTotal += i.rx_bytes_per_sec;
      txTotal += i.tx_bytes_per_sec;
    }

    this.previous = { at, cpu, net };
    this.latestAt = at;
    return {
      hostname: (this.opts.hostnameOverride ?? hostText ?? "").trim(),
      sampled_at: new Date(this.wallClock()).toISOString(),
      sample_interval_ms: this.opts.sampleIntervalMs,
      uptime_seconds: Math.floor(parseUptime(upText)),
      cpu: { count: coreIds.length, percent: cpuPercent(prev?.cpu.total, cpu.total), per_core: perCore },
      load: parseLoadavg(loadText),
      memory: {
        total_bytes: memTotal,
        available_bytes: available,
        used_bytes: memTotal - available,
        free_bytes: m("MemFree"),
        buffers_bytes: m("Buffers"),
        cached_bytes: m("Cached"),
        percent: pct(memTotal - available, memTotal),
      },
      swap: { total_bytes: swapTotal, used_bytes: swapUsed, free_bytes: m("SwapFree"), percent: pct(swapUsed, swapTotal) },
      disk: {
        path: diskPath,
        total_bytes: diskTotal,
        used_bytes: diskUsed,
        free_bytes: diskFree,
        available_bytes: diskAvail,
        percent: pct(diskUsed, diskUsed + diskAvail),
      },
      network: {
        excluded: this.opts.netExclude,
        total: { rx_bytes_per_sec: anyRate ? rxTotal : null, tx_bytes_per_sec: anyRate ? txTotal : null },
        interfaces,
      },
      temperatures,
    };
  }

  private interfaces(
    net: Map<string, NetCounters>,
    prev: Previous | undefined,
    elapsed: number,
    refreshSys: boolean,
  ): InterfaceStats[] {
    const names = [...net.keys()].sort();
    if (refreshSys || names.some((n) => !this.linkInfo.has(n))) {
      const fresh = names.map((n) => this.readLink(n));
      this.linkInfo = new Map(names.map((n, i) => [n, fresh[i]]));
    }
    const rate = (p: bigint, c: bigint): number => Math.round(counterDelta(p, c, elapsed) / elapsed);
    return names.map((name): InterfaceStats => {
      const cur = net.get(name)!;
      const before = elapsed > 0 ? prev?.net.get(name) : undefined;
      return {
        name,
        counted: !isExcluded(name, this.opts.netExclude),
        ...this.linkInfo.get(name)!,
        rx_bytes: Number(cur.rxBytes),
        tx_bytes: Number(cur.txBytes),
        rx_bytes_per_sec: before ? rate(before.rxBytes, cur.rxBytes) : null,
        tx_bytes_per_sec: before ? rate(before.txBytes, cur.txBytes) : null,
      };
    });
  }

  private readLink(name: string): { operstate: string | null; speed_mbps: number | null } {
    const base = join(this.opts.sysRoot, "class/net", name);
    const operstate = readOptional(join(base, "operstate"));
    const speed = readOptional(join(base, "speed"));
    const speedNum = speed === null ? NaN : Number(speed.trim());
    return {
      operstate: operstate === null ? null : operstate.trim(),
      speed_mbps: Number.isFinite(speedNum) && speedNum > 0 ? speedNum : null,
    };
  }

  private readTemperatures(rescan: boolean): Stats["temperatures"] {
    const dir = join(this.opts.sysRoot, "class/thermal");
    if (rescan || this.thermalZones === undefined) {
      try {
        this.thermalZones = readdirSync(dir).filter((z) => z.startsWith("thermal_zone")).sort();
      } catch {
        this.thermalZones = [];
      }
    }
    const out: Stats["temperatures"] = [];
    for (const zone of this.thermalZones) {
      const type = readOptional(join(dir, zone, "type"));
      const temp = readOptional(join(dir, zone, "temp"));
      const milli = temp === null ? NaN : Number(temp.trim());
      if (Number.isFinite(milli)) out.push({ zone, type: (type ?? "").trim(), celsius: round1(milli / 1000) });
    }
    return out;
  }
}
