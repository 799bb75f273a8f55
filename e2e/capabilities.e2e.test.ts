/**
 * Capabilities, read-only roots and pids limits as the host stacks synthesize them, on the images
 * that can run here: the e2e's Debian Postgres and MariaDB (entrypoints that chown as root and
 * switch user, like upstream's) and the portal built on the e2e's nginx base. Each container is
 * created from its synthesized docker_container (cap_drop ALL + cap_add, read_only, tmpfs,
 * uploaded files, env) on a Docker engine of the test's own, must come up, and come up again
 * after a restart (the second boot's chown walks directories the server's user owns). The same
 * Postgres without SETUID and SETGID must not: the set is what the entrypoint needs, and the
 * check can fail. The real registry images cannot run here (no registry): docs/security.md.
 */
import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { startDockerEngine, DockerEngine } from "../__tests__/terraform/docker-engine";
import { resourcesOf, synthHomelab } from "../__tests__/helpers/synth";
import { mariadbName } from "../constructs/hosted-service";
import { kitestacks } from "../homelab/homelab";
import { ensureFlavour } from "./harness/debian";
import { FLAVOURS } from "./harness/flavours";

const REPO = resolve(__dirname, "..");
const lab = synthHomelab(kitestacks);
const containers = [...lab.stacks.hosts.values()].flatMap((s) => Object.values(resourcesOf(lab.json(s), "docker_container")));
const byName = (name: string) => containers.find((c) => c.name === name)!;

/** Bit numbers of the capabilities (linux include/uapi/linux/capability.h). */
const CAP_BITS: Record<string, number> = { CHOWN: 0, DAC_OVERRIDE: 1, DAC_READ_SEARCH: 2, FOWNER: 3, FSETID: 4, KILL: 5, SETGID: 6, SETUID: 7, SETPCAP: 8, NET_BIND_SERVICE: 10, NET_RAW: 13, SYS_CHROOT: 18, MKNOD: 27, AUDIT_WRITE: 29, SETFCAP: 31 };
const mask = (caps: readonly string[]) => caps.reduce((m, c) => m | (1n << BigInt(CAP_BITS[c.replace(/^CAP_/, "")])), 0n).toString(16).padStart(16, "0");

describe("capabilities and read-only roots on a real Docker engine", () => {
  let engine: DockerEngine;
  let dir: string;
  // The legacy builder, as the e2e harness builds (no buildx here).
  const docker = (...args: string[]) =>
    spawnSync("docker", ["-H", engine.host, ...args], { encoding: "utf8", timeout: 20 * 60_000, env: { ...process.env, DOCKER_BUILDKIT: "0" } });
  const ok = (...args: string[]) => {
    const r = docker(...args);
    if (r.status !== 0) throw new Error(`docker ${args.join(" ")} (exit ${r.status}${r.error ? `, ${r.error.message}` : ""}): ${r.stderr}`);
    return r.stdout.trim();
  };

  /** `docker create` flags from a synthesized docker_container; references get fixture values. */
  function create(name: string, c: Record<string, any>, image: string, patch: { capAdd?: readonly string[] } = {}): void {
    const fixture = (v: string) => v.replace(/\$\{[^}]+\}/g, `fixture-${name}`);
    const flags = ["--name", name, "--network", "none"];
    for (const e of (c.env ?? []) as string[]) flags.push("-e", fixture(e));
    if (c.capabilities) {
      for (const d of c.capabilities.drop) flags.push("--cap-drop", d);
      for (const a of patch.capAdd ?? c.capabilities.add) flags.push("--cap-add", a);
    }
    if (c.read_only) flags.push("--read-only");
    for (const [p, o] of Object.entries((c.tmpfs ?? {}) as Record<string, string>)) flags.push("--tmpfs", `${p}:${o}`);
    for (const o of (c.security_opts ?? []) as string[]) flags.push("--security-opt", o);
    if (c.user) flags.push("-u", c.user);
    ok("create", ...flags, image, ...((c.command ?? []) as string[]));
    // What the provider's upload does: the file, owned by root, with its permissions (parent
    // directories made as needed, 0755).
    for (const u of (c.upload ?? []) as { file: string; content: string; permissions?: string }[]) {
      const stage = mkdtempSync(join(dir, "upload-"));
      const local = join(stage, u.file);
      mkdirSync(dirname(local), { recursive: true });
      writeFileSync(local, fixture(u.content));
      chmodSync(local, parseInt(u.permissions ?? "0644", 8));
      const top = u.file.split("/")[1];
      const cp = spawnSync("sh", ["-c", `tar -C ${stage} --owner=0 --group=0 -c ${top} | docker -H ${engine.host} cp - ${name}:/`], { encoding: "utf8" });
      if (cp.status !== 0) throw new Error(`upload of ${u.file}: ${cp.stderr}`);
    }
  }

  async function until(what: string, check: () => boolean, ms = 120_000): Promise<void> {
    const end = Date.now() + ms;
    while (Date.now() < end) {
      if (check()) return;
      await new Promise((r) => setTimeout(r, 1000));
    }
    throw new Error(`${what} did not happen in ${ms / 1000} s`);
  }

  const running = (name: string) => docker("inspect", "-f", "{{.State.Running}}", name).stdout.trim() === "true";
  const capBnd = (name: string) => /CapBnd:\s*([0-9a-f]+)/.exec(docker("exec", name, "grep", "CapBnd", "/proc/1/status").stdout)?.[1];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "kitestacks-caps-"));
    // overlay2 (as the backup image test): vfs copies every layer in full, which made this file
    // take 20-40 min under load; KSE2E_STORAGE_DRIVER=vfs where /tmp cannot carry overlayfs.
    engine = await startDockerEngine("caps", process.env.KSE2E_STORAGE_DRIVER === "vfs" ? "vfs" : "overlay2");
    const base = async (flavour: (typeof FLAVOURS)[keyof typeof FLAVOURS]) => {
      const { tar, hash } = await ensureFlavour(flavour);
      const tag = `kitestacks-caps/${flavour.name}:${hash}`;
      const imp = spawnSync("sh", ["-c", `docker -H ${engine.host} import ${tar} ${tag}`], { encoding: "utf8", timeout: 600_000 });
      if (imp.status !== 0) throw new Error(imp.stderr);
      return tag;
    };
    const build = (tag: string, context: string, args: Record<string, string>) =>
      ok("build", "-q", "-t", tag, ...Object.entries(args).flatMap(([k, v]) => ["--build-arg", `${k}=${v}`]), context);
    build("kitestacks-caps/postgres:test", join(REPO, "e2e/images/postgres"), { BASE: await base(FLAVOURS.postgres) });
    build("kitestacks-caps/mariadb:test", join(REPO, "e2e/images/mariadb"), { BASE: await base(FLAVOURS.mariadb) });
    build("kitestacks-caps/nginx:test", join(REPO, "e2e/images/nginx-base"), { BASE: await base(FLAVOURS.nginx) });
    build("kitestacks-caps/portal:test", join(REPO, "portal"), { NGINX_IMAGE: "kitestacks-caps/nginx:test" });
  }, 30 * 60_000);

  afterAll(async () => {
    await engine?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test("the shared Postgres: drop ALL + its five, up on first boot and after a restart", async () => {
    const c = byName(kitestacks.sharedPostgres!.containerName);
    expect(c.capabilities).toEqual({ drop: ["ALL"], add: ["CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FOWNER", "CAP_SETGID", "CAP_SETUID"] });
    create("pg", c, "kitestacks-caps/postgres:test");
    ok("start", "pg");
    const ready = () => docker("exec", "-u", "postgres", "pg", "pg_isready", "-q").status === 0;
    await until("Postgres ready", ready);
    expect(capBnd("pg")).toBe(mask(c.capabilities.add));
    ok("restart", "pg");
    await until("Postgres ready after a restart", ready);
  }, 300_000);

  test("the same Postgres without SETUID and SETGID cannot switch to its user: it never comes up", async () => {
    const c = byName(kitestacks.sharedPostgres!.containerName);
    create("pg-short", c, "kitestacks-caps/postgres:test", { capAdd: ["CHOWN", "DAC_OVERRIDE", "FOWNER"] });
    ok("start", "pg-short");
    await until("the entrypoint to exit", () => !running("pg-short"), 60_000);
    expect(docker("logs", "pg-short").stderr).toMatch(/setpriv|Operation not permitted/);
  }, 120_000);

  test("a per-host MariaDB: drop ALL + its five, up on first boot and after a restart", async () => {
    const c = byName(mariadbName("bookstack"));
    expect(c.capabilities.drop).toEqual(["ALL"]);
    create("maria", c, "kitestacks-caps/mariadb:test");
    ok("start", "maria");
    const healthy = () => docker("exec", "maria", "healthcheck.sh", "--connect", "--innodb_initialized").status === 0;
    await until("MariaDB healthy", healthy, 180_000);
    expect(capBnd("maria")).toBe(mask(c.capabilities.add));
    ok("restart", "maria");
    await until("MariaDB healthy after a restart", healthy, 180_000);
  }, 400_000);

  test("the portal: no capability, read-only root, serves from its tmpfs-rendered config", async () => {
    const c = byName("portal");
    expect({ caps: c.capabilities, ro: c.read_only }).toEqual({ caps: { drop: ["ALL"], add: [] }, ro: true });
    create("portal", c, "kitestacks-caps/portal:test");
    ok("start", "portal");
    const healthz = () => docker("exec", "portal", "wget", "-qO-", "http://127.0.0.1:8080/healthz").status === 0;
    await until("the portal answering /healthz", healthz, 60_000);
    expect(capBnd("portal")).toBe(mask([]));
    expect(docker("exec", "portal", "sh", "-c", "touch /etc/nginx/x").status).not.toBe(0);
    expect(docker("exec", "portal", "wget", "-qO-", "http://127.0.0.1:8080/").stdout).toContain("<html");
  }, 180_000);
});
