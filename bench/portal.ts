/**
 * Portal first-load benchmark: bytes on the wire (compressed, as nginx serves them) and first
 * contentful paint in headless Chromium, for the portal and, in the same run through the
 * same nginx config, a baseline page (an empty HTML document). Median of BENCH_RUNS cold
 * loads each (a fresh browser profile per load, so nothing is cached).
 *
 *   npm run bench:portal            (BENCH_RUNS=7)
 *
 * The site is built from the working tree; the real metrics API runs behind /api/ (its
 * weather and activity are off, so those widgets answer "not configured" quickly). Writes
 * bench/results/portal.json. Exit code 1 when the portal's first load reaches 60 KB.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Request } from "playwright-core";
import { launchChromium } from "../portal/build/browser";
import { buildSite, writeSite } from "../portal/build/build";
import { MetricsProcess } from "../portal/build/metrics-process";
import { LocalNginx } from "../portal/build/nginx";

const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const BUDGET_BYTES = 60 * 1024;
const BASELINE_PAGE = "bench-baseline.html";

interface Load {
  /** Response headers + compressed bodies of the document and its static assets. */
  staticBytes: number;
  /** The same plus the widgets' first /api/ calls. */
  totalBytes: number;
  requests: number;
  fcpMs: number;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

async function main(): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), "portal-bench-"));
  const site = buildSite();
  writeSite(site, root);
  writeFileSync(join(root, BASELINE_PAGE), '<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>baseline</title></head><body><p>baseline</p></body></html>\n');
  const metrics = await MetricsProcess.start({ WEATHER_LATITUDE: "", WEATHER_LONGITUDE: "", FORGEJO_API_BASE: "" });
  const nginx = await LocalNginx.start({ root, metricsUpstream: metrics.upstream });
  try {
    // Each load gets a new browser profile: an empty cache, like a first visit.
    const measure = async (path: string, waitForWidgets: boolean): Promise<Load> => {
      const chromium = await launchChromium();
      const page = await chromium.context.newPage();
      const done: Request[] = [];
      page.on("requestfinished", (r) => done.push(r));
      await page.goto(nginx.url + path, { waitUntil: "load" });
      if (waitForWidgets) {
        await page.waitForFunction(() => [...document.querySelectorAll(".widget")].every((w) => w.getAttribute("data-state") !== "loading"));
      }
      const fcpMs = await page.evaluate(
        () =>
          new Promise<number>((resolve) => {
            new PerformanceObserver((list) => {
              const fcp = list.getEntries().find((e) => e.name === "first-contentful-paint");
              if (fcp) resolve(fcp.startTime);
            }).observe({ type: "paint", buffered: true });
          }),
      );
      let staticBytes = 0;
      let totalBytes = 0;
      for (const r of done) {
        const sizes = await r.sizes();
        // A negative body size marks a memory-cache hit (the favicon reuses the logo): no bytes moved.
        const bytes = sizes.responseBodySize < 0 ? 0 : sizes.responseBodySize + sizes.responseHeadersSize;
        totalBytes += bytes;
        if (!new URL(r.url()).pathname.startsWith("/api/")) staticBytes += bytes;
      }
      await chromium.close();
      return { staticBytes, totalBytes, requests: done.length, fcpMs };
    };

    // One warm-up of each (Chromium and nginx start-up costs are not the page's).
    await measure("/", true);
    await measure(`/${BASELINE_PAGE}`, false);
    const portal: Load[] = [];
    const baseline: Load[] = [];
    for (let i = 0; i < RUNS; i++) {
      portal.push(await measure("/", true));
      baseline.push(await measure(`/${BASELINE_PAGE}`, false));
    }
    const summary = (loads: Load[]) => ({
      staticBytes: median(loads.map((l) => l.staticBytes)),
      totalBytes: median(loads.map((l) => l.totalBytes)),
      requests: median(loads.map((l) => l.requests)),
      fcpMs: Math.round(median(loads.map((l) => l.fcpMs)) * 10) / 10,
    });
    const p = summary(portal);
    const b = summary(baseline);
    const ratio = (x: number, y: number) => (y > 0 ? `${(x / y).toFixed(2)}x` : "n/a");
    const rows = [
      ["", "portal", "baseline (empty page)", "ratio"],
      ["first load, static (bytes on the wire)", String(p.staticBytes), String(b.staticBytes), ratio(p.staticBytes, b.staticBytes)],
      ["first load incl. first /api/ calls", String(p.totalBytes), String(b.totalBytes), ratio(p.totalBytes, b.totalBytes)],
      ["requests", String(p.requests), String(b.requests), ratio(p.requests, b.requests)],
      ["first contentful paint (ms)", String(p.fcpMs), String(b.fcpMs), ratio(p.fcpMs, b.fcpMs)],
    ];
    const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
    process.stdout.write(`portal bench: median of ${RUNS} cold loads, ${site.cards.length} cards, headless Chromium via nginx on loopback\n`);
    for (const r of rows) process.stdout.write(`${r.map((cell, c) => cell.padEnd(widths[c])).join("  ")}\n`);
    const verdict = p.staticBytes < BUDGET_BYTES;
    process.stdout.write(`budget: static first load ${p.staticBytes} B ${verdict ? "<" : ">="} ${BUDGET_BYTES} B (60 KB): ${verdict ? "ok" : "OVER"}\n`);
    mkdirSync(join(__dirname, "results"), { recursive: true });
    writeFileSync(join(__dirname, "results", "portal.json"), `${JSON.stringify({ runs: RUNS, portal: p, baseline: b, budgetBytes: BUDGET_BYTES }, null, 2)}\n`);
    if (!verdict) process.exitCode = 1;
  } finally {
    await nginx.stop();
    await metrics.stop();
    rmSync(root, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench:portal failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
