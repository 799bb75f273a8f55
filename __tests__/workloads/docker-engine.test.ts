import { ChildProcess, spawn, spawnSync } from "node:child_process";
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { goodSpec } from "../fixtures/specs";
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

const haveDocker = spawnSync("sh", ["-c", "command -v dockerd && command -v docker && command -v busybox"]).status === 0;

describe("container settings on a real Docker engine", () => {
  let dir: string;
  let daemon: ChildProcess | undefined;
  let env: NodeJS.ProcessEnv;
  const docker = (...args: string[]) => spawnSync("docker", args, { env, encoding: "utf8", timeout: 60_000 });

  beforeAll(async () => {
    expect(haveDocker).toBe(true);
    dir = mkdtempSync(join(tmpdir(), "sec-dockerd-"));
    const sock = join(dir, "docker.sock");
    env = { ...process.env, DOCKER_HOST: `unix://${sock}` };
    daemon = spawn(
      "dockerd",
      ["--iptables=false", "--ip6tables=false", "--bridge=none", "--storage-driver=vfs", `--data-root=${dir}/root`, `--exec-root=${dir}/exec`, `--pidfile=${dir}/docker.pid`, "-H", `unix://${sock}`],
      { stdio: "ignore" },
    );
    for (let i = 0; i < 150 && docker("version").status !== 0; i++) await new Promise((r) => setTimeout(r, 200));
    expect(docker("version").status).toBe(0);
    // A busybox root filesystem with a root and an unprivileged user.
    const rootfs = join(dir, "rootfs");
    for (const d of ["bin", "tmp", "etc", "proc", "sys", "dev"]) mkdirSync(join(rootfs, d), { recursive: true });
    // /tmp as in every base image (1777): Docker copies the image directory's mode onto a tmpfs.
    chmodSync(join(rootfs, "tmp"), 0o1777);
    copyFileSync("/usr/bin/busybox", join(rootfs, "bin", "busybox"));
    chmodSync(join(rootfs, "bin", "busybox"), 0o755);
    for (const a of ["sh", "cat", "id", "grep", "touch", "sleep", "stat"]) symlinkSync("busybox", join(rootfs, "bin", a));
    writeFileSync(join(rootfs, "etc", "passwd"), "root:x:0:0:root:/:/bin/sh\napp:x:1000:1000:app:/:/bin/sh\n");
    writeFileSync(join(rootfs, "etc", "group"), "root:x:0:\napp:x:1000:\n");
    const imp = spawnSync("sh", ["-c", `tar -C ${rootfs} -c . | docker import - sec-busybox:1`], { env, encoding: "utf8" });
    expect(imp.status).toBe(0);
  }, 120_000);

  afterAll(() => {
    if (daemon) {
      daemon.kill("SIGTERM");
      spawnSync("sh", ["-c", `for i in $(seq 100); do [ -e ${dir}/docker.pid ] || exit 0; sleep 0.1; done`]);
    }
    if (dir && existsSync(dir)) spawnSync("rm", ["-rf", dir]);
  });

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
