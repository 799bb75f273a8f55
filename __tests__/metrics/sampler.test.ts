import { statfsSync } from "node:fs";
import { Sampler } from "../../metrics/src/sampler";
import { FixtureHost } from "./helpers";

describe("Sampler on fixture trees", () => {
  let host: FixtureHost;
  let mono: number;
  const make = (extra: Partial<ConstructorParameters<typeof Sampler>[0]> = {}): Sampler =>
    new Sampler({
      procRoot: host.proc,
      sysRoot: host.sys,
      diskPath: host.disk,
      sampleIntervalMs: 1000,
      netExclude: ["lo", "veth*", "docker*", "br-*"],
      monotonic: () => mono,
      wallClock: () => Date.parse("2026-11-26T12:00:00Z") + mono,
      ...extra,
    });

  beforeEach(() => {
    host = new FixtureHost();
    mono = 1_000_000;
  });
  afterEach(() => host.remove());

  test("first sample: levels are exact, rates are null", async () => {
    const s = make();
    await s.sample();
    expect(s.lastError).toBeUndefined();
    const st = s.latest!;
    expect(st.hostname).toBe("kscloud1");
    expect(st.sampled_at).toBe("2026-11-26T12:16:40.000Z");
    expect(st.uptime_seconds).toBe(123456);
    expect(st.cpu).toEqual({ count: 2, percent: null, per_core: [null, null] });
    expect(st.load).toEqual({ load1: 0.52, load5: 0.58, load15: 0.59, runnable: 3, processes: 812 });
    expect(st.memory).toEqual({
      total_bytes: 16777216000,
      available_bytes: 8388608000,
      used_bytes: 8388608000,
      free_bytes: 2097152000,
      buffers_bytes: 524288000,
      cached_bytes: 4194304000,
      percent: 50,
    });
    expect(st.swap).toEqual({ total_bytes: 2147483648, used_bytes: 536870912, free_bytes: 1610612736, percent: 25 });
    expect(st.network.total).toEqual({ rx_bytes_per_sec: null, tx_bytes_per_sec: null });
    expect(st.network.interfaces.every((i) => i.rx_bytes_per_sec === null)).toBe(true);
    expect(st.temperatures).toEqual([{ zone: "thermal_zone0", type: "x86_pkg_temp", celsius: 48.5 }]);
    expect(JSON.parse(s.body!.toString())).toEqual(st);
  });

  test("disk usage comes from statfs of DISK_PATH", async () => {
    const s = make();
    await s.sample();
    const fs = statfsSync(host.disk);
    const d = s.latest!.disk;
    expect(d.path).toBe(host.disk);
    expect(d.total_bytes).toBe(fs.blocks * fs.bsize);
    // free space moves while other processes write: compare with a tolerance of 256 MB
    expect(Math.abs(d.available_bytes - fs.bavail * fs.bsize)).toBeLessThan(256 * 2 ** 20);
    expect(Math.abs(d.free_bytes - fs.bfree * fs.bsize)).toBeLessThan(256 * 2 ** 20);
    expect(d.used_bytes + d.free_bytes).toBe(d.total_bytes);
    expect(d.available_bytes).toBeLessThanOrEqual(d.free_bytes);
    expect(d.percent).toBe(Math.round((d.used_bytes / (d.used_bytes + d.available_bytes)) * 1000) / 10);
  });

  test("second sample 2 s later: exact CPU and network rates, wraps and resets handled", async () => {
    const s = make();
    await s.sample();
    host.use("t1");
    mono += 2000;
    await s.sample();
    const st = s.latest!;
    expect(st.cpu).toEqual({ count: 2, percent: 40, per_core: [60, 20] });
    expect(st.uptime_seconds).toBe(123458);
    const byName = Object.fromEntries(st.network.interfaces.map((i) => [i.name, i]));
    expect(Object.keys(byName)).toEqual(["big64", "eth0", "eth1", "eth2", "lo", "tun0", "veth1a2b", "wg32"]);
    const rates = (n: string): [number | null, number | null] => [byName[n].rx_bytes_per_sec, byName[n].tx_bytes_per_sec];
    expect(rates("eth0")).toEqual([100000, 50000]);
    expect(rates("wg32")).toEqual([500, 1000]); // 32-bit wraps
    expect(rates("big64")).toEqual([500, 100]); // 64-bit wrap on rx
    expect(rates("eth1")).toEqual([1250, 300]); // counters reset
    expect(rates("eth2")).toEqual([0, 100]); // implausible jump on rx
    expect(rates("tun0")).toEqual([null, null]); // new interface
    expect(rates("lo")).toEqual([250000, 250000]);
    expect(byName.lo.counted).toBe(false);
    expect(byName.veth1a2b.counted).toBe(false);
    expect(byName.eth0).toMatchObject({ operstate: "up", speed_mbps: 1000, rx_bytes: 5000200000, tx_bytes: 2000100000 });
    expect(byName.wg32).toMatchObject({ operstate: "unknown", speed_mbps: null });
    expect(byName.eth1.operstate).toBeNull();
    // totals: eth0 + wg32 + big64 + eth1 + eth2 (lo and veth* excluded, tun0 has no rate yet)
    expect(st.network.total).toEqual({ rx_bytes_per_sec: 102250, tx_bytes_per_sec: 51500 });
    for (const i of st.network.interfaces) {
      expect(i.rx_bytes_per_sec ?? 0).toBeGreaterThanOrEqual(0);
      expect(i.tx_bytes_per_sec ?? 0).toBeGreaterThanOrEqual(0);
    }
  });

  test("an empty exclude list counts lo too", async () => {
    const s = make({ netExclude: [] });
    await s.sample();
    host.use("t1");
    mono += 2000;
    await s.sample();
    expect(s.latest!.network.total).toEqual({ rx_bytes_per_sec: 102250 + 250000 + 20000, tx_bytes_per_sec: 51500 + 250000 + 20000 });
  });

  test("HOSTNAME_OVERRIDE wins over the procfs hostname", async () => {
    const s = make({ hostnameOverride: "monk" });
    await s.sample();
    expect(s.latest!.hostname).toBe("monk");
  });

  test("a failed read keeps the previous sample and records the error", async () => {
    const s = make({ procRoot: host.proc });
    await s.sample();
    const before = s.body;
    const broken = make({ procRoot: "/nonexistent-proc" });
    await broken.sample();
    expect(broken.body).toBeUndefined();
    expect(broken.lastError).toMatch(/ENOENT/);
    expect(s.body).toBe(before);
  });

  test("start() samples on a timer and stop() ends it", async () => {
    const s = make({ sampleIntervalMs: 100, monotonic: undefined });
    s.start();
    await new Promise((r) => setTimeout(r, 350));
    await s.stop();
    const first = s.latestAt!;
    expect(s.latest!.cpu.percent).not.toBeUndefined();
    await new Promise((r) => setTimeout(r, 250));
    expect(s.latestAt).toBe(first); // no more samples after stop()
  });
});

describe("sysfs caching", () => {
  test("link state is re-read every SYSFS_EVERY samples and at once for a new interface", async () => {
    const { SYSFS_EVERY } = await import("../../metrics/src/sampler");
    const { cpSync, writeFileSync, mkdtempSync, rmSync } = await import("node:fs");
    const { join } = await import("node:path");
    const { tmpdir } = await import("node:os");
    const host = new FixtureHost();
    const sys = mkdtempSync(join(tmpdir(), "metrics-sys-"));
    cpSync(host.sys, sys, { recursive: true });
    const s = new Sampler({ procRoot: host.proc, sysRoot: sys, diskPath: host.disk, sampleIntervalMs: 1000, netExclude: [] });
    try {
      await s.sample();
      writeFileSync(join(sys, "class/net/eth0/operstate"), "down\n");
      const eth0 = (): string | null => s.latest!.network.interfaces.find((i) => i.name === "eth0")!.operstate;
      for (let i = 1; i < SYSFS_EVERY; i++) {
        await s.sample();
        expect(eth0()).toBe("up");
      }
      await s.sample();
      expect(eth0()).toBe("down");
      host.use("t1"); // tun0 appears: read at once
      await s.sample();
      expect(s.latest!.network.interfaces.map((i) => i.name)).toContain("tun0");
    } finally {
      host.remove();
      rmSync(sys, { recursive: true, force: true });
    }
  });
});
