/**
 * Starts the real metrics API (metrics/src/main.ts through tsx's loader, one node process so
 * signals reach it directly) on a free loopback port, as the portal's tests, bench and
 * preview need it behind nginx's /api/.
 */
import { ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";
import { PORTAL_DIR } from "./build";

export const REPO_ROOT = join(PORTAL_DIR, "..");
export const METRICS_MAIN = join(REPO_ROOT, "metrics", "src", "main.ts");

export class MetricsProcess {
  private constructor(
    private readonly child: ChildProcess,
    readonly port: number,
    private readonly exited: Promise<number | null>,
    private readonly output: () => string,
  ) {}

  /** host:port for nginx's METRICS_UPSTREAM. */
  get upstream(): string {
    return `127.0.0.1:${this.port}`;
  }

  /** Resolves when the process ends (for the preview's supervision). */
  get exit(): Promise<number | null> {
    return this.exited;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Everything the API wrote so far (its JSON log lines and errors). */
  log(): string {
    return this.output();
  }

  /**
   * Starts the API with `env` on top of the current environment (PORT=0 and HOST=127.0.0.1
   * unless given) and resolves with the port from its "listening" log line.
   */
  static start(env: Readonly<Record<string, string>> = {}, timeoutMs = 20_000): Promise<MetricsProcess> {
    const child = spawn(process.execPath, ["--import", "tsx", METRICS_MAIN], {
      cwd: REPO_ROOT,
      env: { ...process.env, PORT: "0", HOST: "127.0.0.1", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill("SIGKILL");
        reject(new Error(`metrics API did not report listening within ${timeoutMs} ms:\n${out}`));
      }, timeoutMs);
      const onData = (d: Buffer): void => {
        out += d.toString();
        for (const line of out.split("\n")) {
          if (!line.startsWith("{")) continue;
          try {
            const msg = JSON.parse(line) as { msg?: string; port?: number };
            if (msg.msg === "listening" && typeof msg.port === "number") {
              clearTimeout(timer);
              resolve(new MetricsProcess(child, msg.port, exited, () => out));
              return;
            }
          } catch {
            // a partial line; wait for the rest
          }
        }
      };
      child.stdout!.on("data", onData);
      child.stderr!.on("data", (d: Buffer) => (out += d.toString()));
      void exited.then((code) => {
        clearTimeout(timer);
        reject(new Error(`metrics API exited with ${code} before listening:\n${out}`));
      });
    });
  }

  /** SIGTERM (the API shuts down gracefully), SIGKILL after 5 s. */
  async stop(): Promise<void> {
    if (this.running) {
      this.child.kill("SIGTERM");
      const timer = setTimeout(() => this.child.kill("SIGKILL"), 5000);
      await this.exited;
      clearTimeout(timer);
    }
  }
}
