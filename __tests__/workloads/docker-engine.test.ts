import { spawnSync } from "node:child_process";
import { chmodSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { goodSpec } from "../fixtures/specs";
import { BusyboxEngine, haveDockerAndBusybox, startBusyboxEngine } from "../helpers/busybox-engine";
import { resourcesOf, synthHomelab } from "../helpers/synth";

/**
 * The container settings the stacks synthesize, against a real Docker engine (a dockerd of the
 * test's own: data root, socket and exec root in a temp dir, no iptables, no bridge) running a
 * busybox image made with `docker import` (no registry). The synthesized values are read from
 * the metrics API's and the shared Postgres's docker_container and applied with the docker CLI
 * flags the provider's fields map to.
 */
const lab = synthHomelab(goodSpec);
const containers = [...lab.stacks.hosts.values()].flatMap((s) => Object.values(resourcesOf(lab.json(s), "docker_container")));
const metrics = containers.find((c) => c.name === "metrics")!;
const postgres = containers.find((c) => c.name === goodSpec.sharedPostgres!.containerName)!;

describe("container settings on a real Docker engine", () => {
  let engine: BusyboxEngine;
  let dir: string;
  let env: NodeJS.ProcessEnv;
  const docker = (...args: string[]) => engine.docker(...args);

  beforeAll(async () => {
    expect(haveDockerAndBusybox()).toBe(true);
    engine = await startBusyboxEngine({ prefix: "sec-dockerd-", image: "sec-busybox:1", applets: ["sh", "cat", "id", "grep", "touch", "sleep", "stat"], users: ["root:x:0:0:root:/:/bin/sh", "app:x:1000:1000:app:/:/bin/sh"], groups: ["root:x:0:", "app:x:1000:"] });
    ({ dir, env } = engine);
  }, 120_000);

  afterAll(() => engine?.stop());

  test("the metrics API's settings: no capability, read-only root, writable tmpfs /tmp, no host PID namespace", () => {
    expect(metrics.pid_mode).toBeUndefined();
    const flags = [
      ...metrics.capabilities.drop.flatMap((c: string) => ["--cap-drop", c]),
      ...metrics.capabilities.add.flatMap((c: string) => ["--cap-add", c]),
      ...(metrics.read_only ? ["--read-only"] : []),
      ...Object.entries(metrics.tmpfs as Record<string, string>).flatMap(([p, o]) => ["--tmpfs", `${p}:${o}`]),
    ];
    const run = docker("run", "--rm", "--network", "none", "-u", "1000:1000", ...flags, "sec-busybox:1", "sh", "-c",
      "grep CapEff /proc/self/status; touch /etc/x 2>/dev/null && echo root-writable; touch /tmp/ok && echo tmp-writable; cat /proc/1/cmdline | grep -c sleep || true");
    expect(run.status).toBe(0);
    expect(run.stdout).toContain("CapEff:\t0000000000000000");
    expect(run.stdout).not.toContain("root-writable");
    expect(run.stdout).toContain("tmp-writable");
  });

  test("a read-only root filesystem refuses uploaded files (why KiteService forbids the combination)", () => {
    expect(docker("create", "--name", "sec-ro", "--read-only", "--network", "none", "sec-busybox:1", "sleep", "5").status).toBe(0);
    writeFileSync(join(dir, "f"), "x");
    const cp = docker("cp", join(dir, "f"), "sec-ro:/tmp/f");
    docker("rm", "-f", "sec-ro");
    expect(cp.status).not.toBe(0);
    expect(cp.stderr).toContain("read-only");
  });

  test("secret files: 0400 is readable by root only, 0444 by the app's uid; neither shows in docker inspect", () => {
    const upload = (postgres.upload as { file: string; content: string; permissions: string }[])[0];
    expect(upload.permissions).toBe("0400");
    const secret = `fixture-secret-${process.pid}`;
    expect(docker("create", "--name", "sec-files", "--network", "none", "sec-busybox:1", "sleep", "30").status).toBe(0);
    for (const [name, mode] of [["root-only", "0400"], ["any", "0444"]] as const) {
      const local = join(dir, name);
      writeFileSync(local, secret);
      chmodSync(local, parseInt(mode, 8));
      // What the provider's upload does: a tar entry owned by root with these permissions.
      expect(spawnSync("sh", ["-c", `tar -C ${dir} --owner=0 --group=0 -c ${name} | docker cp - sec-files:/tmp/`], { env }).status).toBe(0);
    }
    expect(docker("start", "sec-files").status).toBe(0);
    const asApp = (f: string) => docker("exec", "-u", "1000:1000", "sec-files", "cat", `/tmp/${f}`);
    const asRoot = (f: string) => docker("exec", "sec-files", "cat", `/tmp/${f}`);
    expect(asRoot("root-only").stdout).toBe(secret);
    expect(asApp("root-only").status).not.toBe(0);
    expect(asApp("any").stdout).toBe(secret);
    expect(docker("inspect", "sec-files").stdout).not.toContain(secret);
    docker("rm", "-f", "sec-files");
  });

  test("docker exec -e NAME copies the caller's value without putting it on a command line or in the container config", () => {
    expect(docker("run", "-d", "--name", "sec-exec", "--network", "none", "sec-busybox:1", "sleep", "30").status).toBe(0);
    const value = `fixture-exec-${process.pid}`;
    const r = spawnSync("docker", ["exec", "-e", "KITE_FIXTURE", "sec-exec", "sh", "-c", 'echo "$KITE_FIXTURE"'], { env: { ...env, KITE_FIXTURE: value }, encoding: "utf8" });
    expect(r.stdout.trim()).toBe(value);
    expect(docker("inspect", "sec-exec").stdout).not.toContain(value);
    docker("rm", "-f", "sec-exec");
  });
});
