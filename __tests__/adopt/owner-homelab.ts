/**
 * The old homelab of one host, as the owner runs it today: a compose project brought up by the
 * real `docker-compose` (Debian's) on a Docker engine of the test's own, from the compose file
 * under fixtures/owner-<host>/, with a marker file written into every mount it has.
 */
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, copyFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CommandResult } from "../../scripts/adopt-discover";
import { DockerEngine, startDockerEngine } from "../terraform/docker-engine";
import { HomelabSpec } from "../../homelab/types";

export const OWNER_IMAGE = "kite-owner/busybox:1";
export const OWNER_PROJECT = "homelab";

export interface OwnerHomelab {
  readonly engine: DockerEngine;
  /** The compose project's folder (its bind mounts live under it). */
  readonly dir: string;
  readonly docker: (args: readonly string[]) => CommandResult;
  readonly compose: (args: readonly string[]) => CommandResult;
  /** Every marker written: container, mount path, content. */
  readonly markers: readonly { readonly container: string; readonly path: string; readonly content: string }[];
  readonly stop: () => Promise<void>;
}

function run(cmd: string, args: readonly string[], env: NodeJS.ProcessEnv, input?: string): CommandResult {
  const r = spawnSync(cmd, args, { env: { ...process.env, ...env }, encoding: "utf8", input, maxBuffer: 64 * 1024 * 1024, timeout: 5 * 60_000 });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

export function must(r: CommandResult, what: string): string {
  if (r.status !== 0) throw new Error(`${what} failed (${r.status}): ${r.stderr}${r.stdout}`);
  return r.stdout;
}

/** A busybox image made with `docker import` (there is no registry here). */
export function importBusybox(docker: (args: readonly string[]) => CommandResult, host: string, tag: string): void {
  const root = mkdtempSync(join(tmpdir(), "ksa2-rootfs-"));
  try {
    mkdirSync(join(root, "bin"));
    copyFileSync("/usr/bin/busybox", join(root, "bin", "busybox"));
    for (const a of ["sh", "sleep", "cat", "echo", "ls", "mkdir", "tar", "true", "test", "wget"]) symlinkSync("busybox", join(root, "bin", a));
    must(run("sh", ["-c", `tar -C '${root}' -c . | docker import - '${tag}'`], { DOCKER_HOST: host }), "docker import");
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  void docker;
}

/**
 * Brings up fixtures/owner-<host>/docker-compose.yml and writes `<container>:<path>` into a file
 * `kite-marker` in every mount of every container.
 */
export async function startOwnerHomelab(spec: HomelabSpec, host: string, label: string): Promise<OwnerHomelab> {
  const engine = await startDockerEngine(`ksa2-${label}`);
  const dir = mkdtempSync(join(tmpdir(), `ksa2-owner-${host}-`));
  const env = { DOCKER_HOST: engine.host, OWNER_IMAGE };
  const docker = (args: readonly string[]) => run("docker", args, env);
  const compose = (args: readonly string[]) => run("docker-compose", ["-p", OWNER_PROJECT, "-f", join(dir, "docker-compose.yml"), ...args], env);
  const stop = async () => {
    // Containers first: a dockerd stopped with running containers leaves its data root mounted.
    const ids = docker(["ps", "-aq"]).stdout.split(/\s+/).filter(Boolean);
    if (ids.length > 0) docker(["rm", "-f", ...ids]);
    await engine.stop();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    cpSync(join(__dirname, "fixtures", `owner-${host}`), dir, { recursive: true });
    importBusybox(docker, engine.host, OWNER_IMAGE);
    const net = spec.dockerNetwork;
    must(docker(["network", "create", "--driver", "bridge", "--subnet", net.subnet, "--gateway", net.gateway, net.name]), "docker network create");
    must(compose(["up", "-d"]), "docker-compose up");
    const markers: { container: string; path: string; content: string }[] = [];
    const inspected = JSON.parse(must(docker(["inspect", ...must(docker(["ps", "-q"]), "docker ps").split(/\s+/).filter(Boolean)]), "docker inspect")) as any[];
    for (const c of inspected) {
      const name = String(c.Name).replace(/^\//, "");
      for (const m of c.Mounts as { Destination: string }[]) {
        const content = `${name}:${m.Destination}:${Date.now()}`;
        must(docker(["exec", name, "sh", "-c", `echo '${content}' > '${m.Destination}/kite-marker-${name}'`]), `write marker in ${name}`);
        markers.push({ container: name, path: m.Destination, content });
      }
    }
    return { engine, dir, docker, compose, markers, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}
