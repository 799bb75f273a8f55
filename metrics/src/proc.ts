/**
 * Pure parsers for the procfs files the sampler reads, and the counter
 * arithmetic (wrap / reset) used to turn two samples into rates.
 */

/** Jiffies of one "cpu" line of /proc/stat, reduced to what a percentage needs. */
export interface CpuTimes {
  /** All time except guest/guest_nice (they are already counted in user/nice). */
  total: number;
  /** idle + iowait. */
  idle: number;
}

export interface CpuStat {
  total: CpuTimes;
  /** Indexed by the core number of the "cpuN" line. */
  cores: Map<number, CpuTimes>;
}

function cpuTimes(fields: string[]): CpuTimes {
  // user nice system idle iowait irq softirq steal guest guest_nice
  let total = 0;
  for (let i = 1; i <= 8 && i < fields.length; i++) total += Number(fields[i]);
  const idle = Number(fields[4] ?? 0) + Number(fields[5] ?? 0);
  return { total, idle };
}

export function parseStat(text: string): CpuStat {
  let total: CpuTimes | undefined;
  const cores = new Map<number, CpuTimes>();
  for (const line of text.split("\n")) {
    if (!line.startsWith("cpu")) continue;
    const fields = line.split(/\s+/);
    const name = fields[0];
    if (name === "cpu") total = cpuTimes(fields);
    else cores.set(Number(name.slice(3)), cpuTimes(fields));
  }
  if (!total) throw new Error("stat: no aggregate cpu line");
  return { total, cores };
}

/** Busy percentage between two samples, or null when the counters did not advance sensibly. */
export function cpuPercent(prev: CpuTimes | undefined, cur: CpuTimes): number | null {
  if (!prev) return null;
  const dTotal = cur.total - prev.total;
  const dIdle = cur.idle - prev.idle;
  if (dTotal <= 0 || dIdle < 0 || dIdle > dTotal) return null;
  return round1(((dTotal - dIdle) / dTotal) * 100);
}

/** /proc/meminfo as a map of field name to bytes (the file is in kB). */
export function parseMeminfo(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split("\n")) {
    const colon = line.indexOf(":");
    if (colon <= 0) continue;
    const rest = line.slice(colon + 1).trim().split(/\s+/);
    const value = Number(rest[0]);
    if (Number.isNaN(value)) continue;
    out.set(line.slice(0, colon), rest[1] === "kB" ? value * 1024 : value);
  }
  return out;
}

export interface LoadAvg {
  load1: number;
  load5: number;
  load15: number;
  runnable: number;
  processes: number;
}

export function parseLoadavg(text: string): LoadAvg {
  const f = text.trim().split(/\s+/);
  const [runnable, processes] = (f[3] ?? "0/0").split("/").map(Number);
  const out = { load1: Number(f[0]), load5: Number(f[1]), load15: Number(f[2]), runnable, processes };
  if ([out.load1, out.load5, out.load15].some(Number.isNaN)) throw new Error("loadavg: unexpected format");
  return out;
}

export function parseUptime(text: string): number {
  const first = text.trim().split(/\s+/)[0];
  if (!/^\d+(\.\d+)?$/.test(first)) throw new Error("uptime: unexpected format");
  return Number(first);
}

export interface NetCounters {
  rxBytes: bigint;
  txBytes: bigint;
}

/** /proc/net/dev: interface name to byte counters (BigInt: the kernel counters are 64-bit). */
export function parseNetDev(text: string): Map<string, NetCounters> {
  const out = new Map<string, NetCounters>();
  for (const line of text.split("\n")) {
    const colon = line.indexOf(":");
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim();
    const f = line.slice(colon + 1).trim().split(/\s+/);
    if (f.length < 9 || !/^\d+$/.test(f[0]) || !/^\d+$/.test(f[8])) continue;
    out.set(name, { rxBytes: BigInt(f[0]), txBytes: BigInt(f[8]) });
  }
  return out;
}

const TWO_32 = 1n << 32n;
const TWO_63 = 1n << 63n;
const TWO_64 = 1n << 64n;
const TWO_31 = 1n << 31n;

/**
 * Highest believable byte rate of one interface (200 Gbit/s). A delta above
 * this is treated as a counter glitch and reported as 0, never as a spike.
 */
export const MAX_BYTES_PER_SECOND = 25e9;

/**
 * Bytes that passed between two readings of a monotonically increasing counter.
 * - cur >= prev: the plain difference.
 * - cur < prev and prev in the top half of the 32-bit range: a 32-bit wrap.
 * - cur < prev and prev in the top half of the 64-bit range: a 64-bit wrap.
 * - otherwise cur < prev means the counter was reset (interface re-created):
 *   everything counted since the reset, i.e. cur.
 * Anything above MAX_BYTES_PER_SECOND over the elapsed time is implausible and gives 0.
 */
export function counterDelta(prev: bigint, cur: bigint, elapsedSeconds: number): number {
  let d: bigint;
  if (cur >= prev) d = cur - prev;
  else if (prev < TWO_32 && prev >= TWO_31) d = TWO_32 - prev + cur;
  else if (prev >= TWO_63) d = TWO_64 - prev + cur;
  else d = cur;
  const n = Number(d);
  return n > MAX_BYTES_PER_SECOND * elapsedSeconds ? 0 : n;
}

export function round1(n: number): number {
  return Math.round(n * 10) / 10;
}
