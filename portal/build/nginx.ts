/**
 * Runs the portal's real nginx config outside Docker: renders portal/nginx/*.template the
 * way the nginx image's entrypoint does (envsubst of the allowed variables only), wraps it in
 * an http {} block like the image's nginx.conf, and runs Debian's nginx as a non-daemon child
 * with every path (pid, logs, temp) under a private prefix, so no system config is touched.
 * Used by the tests, the bench and `npm run portal`.
 */
import { ChildProcess, spawn, spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PORTAL_DIR } from "./build";

export const NGINX_BIN = process.env.NGINX_BIN ?? "/usr/sbin/nginx";
export const TEMPLATE_FILE = join(PORTAL_DIR, "nginx", "default.conf.template");
/** Mirrors NGINX_ENVSUBST_FILTER in the Dockerfile: only these names are substituted. */
export const ENVSUBST_FILTER = /^(METRICS_UPSTREAM|PORTAL_[A-Z_]+)$/;

/** Throws a message that says what to install when Debian's nginx is missing. */
export function requireNginx(): string {
  if (!existsSync(NGINX_BIN)) {
    throw new Error(
      `nginx is not installed at ${NGINX_BIN}: the portal's tests, bench and preview run the real nginx config. ` +
        "Install it with `apt-get install -y nginx` (Debian package; CI installs it), or set NGINX_BIN.",
    );
  }
  return NGINX_BIN;
}

/**
 * envsubst as the image's entrypoint runs it: `$NAME` and `${NAME}` are replaced for the
 * defined variables whose names pass the filter; everything else (nginx's own $uri, $host…)
 * is left alone. A filtered name that the template uses but env lacks is an error here (the
 * entrypoint would leave it in place and nginx would fail later, less clearly).
 */
export function envsubst(template: string, env: Readonly<Record<string, string | undefined>>, filter: RegExp = ENVSUBST_FILTER): string {
  const missing = new Set<string>();
  const out = template.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (match, braced?: string, bare?: string) => {
    const name = (braced ?? bare)!;
    if (!filter.test(name)) return match;
    const value = env[name];
    if (value === undefined) {
      missing.add(name);
      return match;
    }
    return value;
  });
  if (missing.size > 0) throw new Error(`nginx template: no value for ${[...missing].join(", ")}`);
  return out;
}

/** Variables the template expects, in order of first use. */
export function templateVariables(template: string, filter: RegExp = ENVSUBST_FILTER): string[] {
  const names = [...template.matchAll(/\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g)].map((m) => m[1]).filter((n) => filter.test(n));
  return [...new Set(names)];
}

/** The image's nginx.conf in miniature, with every writable path under `prefix`. */
export function mainConfig(prefix: string, confDir: string): string {
  return [
    // Started as root (CI), nginx's workers would drop to nobody and get 403 on a checkout
    // inside a private directory (a fresh clone under mktemp -d is 0700): keep the caller's user.
    ...(process.getuid?.() === 0 ? ["user root root;"] : []),
    "worker_processes 1;",
    `pid ${prefix}/nginx.pid;`,
    `error_log ${prefix}/error.log warn;`,
    "daemon off;",
    "events { worker_connections 256; }",
    "http {",
    "    include /etc/nginx/mime.types;",
    "    default_type application/octet-stream;",
    "    sendfile on;",
    "    keepalive_timeout 65;",
    `    access_log ${prefix}/access.log;`,
    `    client_body_temp_path ${prefix}/client_temp;`,
    `    proxy_temp_path ${prefix}/proxy_temp;`,
    `    fastcgi_temp_path ${prefix}/fastcgi_temp;`,
    `    uwsgi_temp_path ${prefix}/uwsgi_temp;`,
    `    scgi_temp_path ${prefix}/scgi_temp;`,
    `    include ${confDir}/*.conf;`,
    "}",
    "",
  ].join("\n");
}

/** A free loopback port (closed again at once; nginx binds it right after). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

export interface LocalNginxOptions {
  /** The built site to serve. */
  readonly root: string;
  /** host:port of the metrics API. */
  readonly metricsUpstream: string;
  /** @default a free port */
  readonly port?: number;
  /** @default portal/nginx/default.conf.template */
  readonly template?: string;
}

export class LocalNginx {
  readonly prefix: string;
  readonly confFile: string;
  /** The rendered server config, as the image would write it to conf.d/default.conf. */
  readonly serverConf: string;
  private child: ChildProcess | undefined;
  private exited: Promise<number | null> | undefined;

  /** Renders the config into a fresh prefix without running nginx (start() does both). */
  constructor(readonly port: number, options: LocalNginxOptions) {
    requireNginx();
    this.prefix = mkdtempSync(join(tmpdir(), "portal-nginx-"));
    // Workers drop root to nobody; they must be able to reach the temp paths.
    chmodSync(this.prefix, 0o755);
    const confDir = join(this.prefix, "conf.d");
    mkdirSync(confDir);
    const template = readFileSync(options.template ?? TEMPLATE_FILE, "utf8");
    this.serverConf = envsubst(template, {
      METRICS_UPSTREAM: options.metricsUpstream,
      PORTAL_PORT: `127.0.0.1:${port}`,
      PORTAL_ROOT: options.root,
    });
    writeFileSync(join(confDir, "default.conf"), this.serverConf);
    this.confFile = join(this.prefix, "nginx.conf");
    writeFileSync(this.confFile, mainConfig(this.prefix, confDir));
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  private args(): string[] {
    return ["-p", this.prefix, "-c", this.confFile, "-e", join(this.prefix, "error.log")];
  }

  /** `nginx -t` on the rendered config; returns its output, throws with it on failure. */
  check(): string {
    const r = spawnSync(NGINX_BIN, [...this.args(), "-t"], { encoding: "utf8" });
    const output = `${r.stdout}${r.stderr}`;
    if (r.status !== 0) throw new Error(`nginx -t failed:\n${output}\n--- rendered server config ---\n${this.serverConf}`);
    return output;
  }

  /** Renders, checks and starts nginx; resolves once /healthz answers. */
  static async start(options: LocalNginxOptions): Promise<LocalNginx> {
    for (let attempt = 0; ; attempt++) {
      const nginx = new LocalNginx(options.port ?? (await freePort()), options);
      try {
        nginx.check();
        await nginx.run();
        return nginx;
      } catch (err) {
        await nginx.stop();
        // Another process may take a "free" port between the probe and nginx's bind.
        if (options.port !== undefined || attempt >= 2 || !String(err).includes("in use")) throw err;
      }
    }
  }

  private async run(): Promise<void> {
    const child = spawn(NGINX_BIN, this.args(), { stdio: ["ignore", "ignore", "pipe"] });
    this.child = child;
    let stderr = "";
    child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
    this.exited = new Promise((resolve) => child.once("exit", (code) => resolve(code)));
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) break;
      try {
        const res = await fetch(`${this.url}/healthz`);
        if (res.ok) return;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`nginx did not start on port ${this.port}: ${stderr}${this.errorLog()}`);
  }

  errorLog(): string {
    const file = join(this.prefix, "error.log");
    return existsSync(file) ? readFileSync(file, "utf8") : "";
  }

  /** Resolves when nginx exits on its own (for the preview's supervision). */
  get exit(): Promise<number | null> {
    return this.exited ?? Promise.resolve(null);
  }

  /** Graceful stop (SIGQUIT, as the image's STOPSIGNAL), then removes the prefix. */
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
