/**
 * Entry point: validate the environment, start the server, shut down
 * gracefully on SIGTERM/SIGINT (exit 0), exit 2 on bad configuration.
 */
import { ConfigError, loadConfig } from "./config";
import { MetricsApp } from "./server";

function log(fields: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), ...fields })}\n`);
}

async function main(): Promise<void> {
  let app: MetricsApp;
  try {
    app = new MetricsApp(loadConfig(process.env));
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  const address = await app.listen();
  const { config } = app;
  log({
    level: "info",
    msg: "listening",
    address: address.address,
    port: address.port,
    proc_root: config.procRoot,
    sys_root: config.sysRoot,
    disk_path: config.diskPath,
    weather: config.weather !== null,
    activity: config.activity !== null,
  });
  const shutdown = (signal: NodeJS.Signals): void => {
    log({ level: "info", msg: "shutting down", signal });
    app.close().then(
      () => {
        log({ level: "info", msg: "stopped" });
        process.exit(0);
      },
      (err: unknown) => {
        process.stderr.write(`shutdown failed: ${String(err)}\n`);
        process.exit(1);
      },
    );
  };
  process.once("SIGTERM", shutdown);
  process.once("SIGINT", shutdown);
}

main().catch((err: unknown) => {
  process.stderr.write(`metrics: failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
