/**
 * A homed service's forwarder config run by Debian's nginx outside Docker: the generated conf.d
 * file inside the portal helpers' miniature nginx.conf (every writable path under a private
 * prefix), bound to 127.0.0.1, proxying to a fake home on 127.0.0.1.
 */
import { ChildProcess, spawn, spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ForwarderConfigProps, forwarderNginxConfig, FORWARDER_HEALTH_PATH } from "../../constructs/forwarder-nginx-config";
import { freePort, mainConfig, NGINX_BIN, requireNginx } from "../../portal/build/nginx";

export class LocalForwarder {
  readonly prefix: string;
  readonly confFile: string;
  readonly serverConf: string;
  private child?: ChildProcess;
  private exited?: Promise<number | null>;

  constructor(readonly props: ForwarderConfigProps) {
    requireNginx();
    this.serverConf = forwarderNginxConfig(props);
    this.prefix = mkdtempSync(join(tmpdir(), "plc-forwarder-"));
    chmodSync(this.prefix, 0o755);
    const confDir = join(this.prefix, "conf.d");
    mkdirSync(confDir);
    writeFileSync(join(confDir, "default.conf"), this.serverConf);
    this.confFile = join(this.prefix, "nginx.conf");
    writeFileSync(this.confFile, mainConfig(this.prefix, confDir));
  }

  get port(): number {
    return this.props.listenPort;
  }

  private args(): string[] {
    return ["-p", this.prefix, "-c", this.confFile, "-e", join(this.prefix, "error.log")];
  }

  /** `nginx -t`; throws nginx's output with the config on failure. */
  check(): string {
    const r = spawnSync(NGINX_BIN, [...this.args(), "-t"], { encoding: "utf8" });
    const output = `${r.stdout}${r.stderr}`;
    if (r.status !== 0) throw new Error(`nginx -t failed:\n${output}\n--- config ---\n${this.serverConf}`);
    return output;
  }

  /** Renders with free ports, checks, starts, and waits for the health endpoint. */
  static async start(props: Omit<ForwarderConfigProps, "listenPort" | "healthPort" | "listenAddress">): Promise<LocalForwarder> {
    // Two probes may hand out the same free port: draw until they differ.
    const listenPort = await freePort();
    let healthPort = await freePort();
    while (healthPort === listenPort) healthPort = await freePort();
    const forwarder = new LocalForwarder({ ...props, listenAddress: "127.0.0.1", listenPort, healthPort });
    try {
      forwarder.check();
      await forwarder.run();
      return forwarder;
    } catch (err) {
      await forwarder.stop();
      throw err;
    }
  }

  private async run(): Promise<void> {
    const child = spawn(NGINX_BIN, this.args(), { stdio: ["ignore", "ignore", "pipe"] });
    this.child = child;
    let stderr = "";
    child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
    this.exited = new Promise((resolve) => child.once("exit", (code) => resolve(code)));
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline && child.exitCode === null) {
      try {
        const res = await fetch(`http://127.0.0.1:${this.props.healthPort}${FORWARDER_HEALTH_PATH}`);
        if (res.ok) return;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`forwarder nginx did not start: ${stderr}${this.errorLog()}`);
  }

  errorLog(): string {
    const file = join(this.prefix, "error.log");
    return existsSync(file) ? readFileSync(file, "utf8") : "";
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (child && child.exitCode === null && child.signalCode === null) {
      child.kill("SIGQUIT");
      const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
      await this.exited;
      clearTimeout(timer);
    }
    rmSync(this.prefix, { recursive: true, force: true });
  }
}
