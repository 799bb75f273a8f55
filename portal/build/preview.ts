/**
 * `npm run portal`: a local preview of the portal as it runs in its container. It builds the
 * site from the working tree into portal/dist/, starts the metrics API on a free loopback
 * port and the real nginx config (Debian's nginx) on PORTAL_PORT (default 8080) with /api/
 * proxied to it, and runs until Ctrl-C, which stops both. If either child dies, the other
 * is stopped too and the preview exits non-zero.
 *
 * The metrics API gets the caller's environment, so WEATHER_LATITUDE/WEATHER_LONGITUDE and
 * FORGEJO_API_BASE/FORGEJO_USER switch its weather and activity on; without them those
 * widgets say "not configured".
 */
import { buildSite, DIST_DIR, writeSite } from "./build";
import { MetricsProcess } from "./metrics-process";
import { LocalNginx, requireNginx } from "./nginx";

function portFromEnv(): number {
  const raw = process.env.PORTAL_PORT ?? "8080";
  const port = Number(raw);
  if (!/^\d+$/.test(raw) || port < 1 || port > 65535) {
    throw new Error(`PORTAL_PORT: "${raw}" is not a port in 1-65535`);
  }
  return port;
}

async function main(): Promise<void> {
  const port = portFromEnv();
  requireNginx();
  const site = buildSite();
  writeSite(site, DIST_DIR);
  const metrics = await MetricsProcess.start();
  let nginx: LocalNginx;
  try {
    nginx = await LocalNginx.start({ root: DIST_DIR, metricsUpstream: metrics.upstream, port });
  } catch (err) {
    await metrics.stop();
    throw err;
  }
  process.stdout.write(
    `portal preview: ${nginx.url}/ (${site.cards.length} cards from the spec)\n` +
      `  nginx   ${nginx.prefix} (logs there)\n` +
      `  metrics ${metrics.upstream} behind ${nginx.url}/api/\n` +
      "Ctrl-C stops both.\n",
  );

  let stopping = false;
  const stop = async (code: number, why: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`\nportal preview: ${why}; stopping nginx and the metrics API\n`);
    await Promise.all([nginx.stop(), metrics.stop()]);
    process.exit(code);
  };
  process.once("SIGINT", () => void stop(0, "interrupted"));
  process.once("SIGTERM", () => void stop(0, "terminated"));
  void nginx.exit.then((code) => stop(1, `nginx exited (${code}): ${nginx.errorLog().trim()}`));
  void metrics.exit.then((code) => stop(1, `the metrics API exited (${code}):\n${metrics.log().trim()}`));
}

main().catch((err: unknown) => {
  process.stderr.write(`portal preview: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
