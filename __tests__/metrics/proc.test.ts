import { readFileSync } from "node:fs";
import { join } from "node:path";
import { counterDelta, cpuPercent, parseLoadavg, parseMeminfo, parseNetDev, parseStat, parseUptime } from "../../metrics/src/proc";
import { FIXTURES } from "./helpers";

const read = (p: string): string => readFileSync(join(FIXTURES, p), "utf8");

describe("procfs parsers", () => {
  test("/proc/stat: aggregate and per-core jiffies, guest time not counted twice", () => {
    const s = parseStat(read("t0/proc/stat"));
    expect(s.total).toEqual({ total: 95000, idle: 81000 });
    expect([...s.cores.keys()]).toEqual([0, 1]);
    expect(s.cores.get(1)).toEqual({ total: 47500, idle: 40500 });
    const t1 = parseStat(read("t1/proc/stat"));
    // user +300, system +100, idle +550, iowait +50; guest +200 is inside user already
    expect(cpuPercent(s.total, t1.total)).toBe(40);
    expect(cpuPercent(s.cores.get(0), t1.cores.get(0)!)).toBe(60);
    expect(cpuPercent(s.cores.get(1), t1.cores.get(1)!)).toBe(20);
  });

  test("cpuPercent is null without a previous sample or when counters go backwards", () => {
    expect(cpuPercent(undefined, { total: 10, idle: 5 })).toBeNull();
    expect(cpuPercent({ total: 100, idle: 50 }, { total: 100, idle: 50 })).toBeNull();
    expect(cpuPercent({ total: 100, idle: 50 }, { total: 90, idle: 40 })).toBeNull();
  });

  test("/proc/stat without a cpu line is an error", () => {
    expect(() => parseStat("intr 1\nctxt 2\n")).toThrow(/no aggregate cpu line/);
  });

  test("/proc/meminfo values become bytes", () => {
    const m = parseMeminfo(read("t0/proc/meminfo"));
    expect(m.get("MemTotal")).toBe(16384000 * 1024);
    expect(m.get("SwapFree")).toBe(1572864 * 1024);
    expect(m.get("HugePages_Total")).toBe(0);
  });

  test("/proc/loadavg and /proc/uptime", () => {
    expect(parseLoadavg(read("t0/proc/loadavg"))).toEqual({ load1: 0.52, load5: 0.58, load15: 0.59, runnable: 3, processes: 812 });
    expect(() => parseLoadavg("garbage")).toThrow(/loadavg/);
    expect(parseUptime(read("t0/proc/uptime"))).toBe(123456.78);
    expect(() => parseUptime("")).toThrow(/uptime/);
  });

  test("/proc/net/dev keeps 64-bit counters exact", () => {
    const n = parseNetDev(read("t0/proc/net/dev"));
    expect([...n.keys()]).toEqual(["lo", "eth0", "eth1", "eth2", "eth3", "wg32", "big64", "veth1a2b"]);
    expect(n.get("big64")).toEqual({ rxBytes: 18446744073709551000n, txBytes: 100n });
    expect(n.get("eth0")).toEqual({ rxBytes: 5000000000n, txBytes: 2000000000n });
  });
});

describe("counterDelta", () => {
  test("plain increase", () => expect(counterDelta(100n, 1100n, 1)).toBe(1000));
  test("32-bit wrap", () => expect(counterDelta(4294967000n, 704n, 1)).toBe(1000));
  test("64-bit wrap", () => expect(counterDelta(18446744073709551000n, 384n, 1)).toBe(1000));
  test("reset (interface re-created) counts from zero", () => expect(counterDelta(900000000n, 2500n, 1)).toBe(2500));
  test("small counter going down is a reset, not a 32-bit wrap", () => expect(counterDelta(5000n, 10n, 1)).toBe(10));
  test("implausible jump gives 0, not a spike", () => expect(counterDelta(100n, 10n ** 15n, 2)).toBe(0));
  test("never negative", () => {
    for (const [p, c] of [[10n, 0n], [2n ** 40n, 1n], [2n ** 32n - 1n, 0n], [2n ** 64n - 1n, 0n]] as const) {
      expect(counterDelta(p, c, 1)).toBeGreaterThanOrEqual(0);
    }
  });
});
