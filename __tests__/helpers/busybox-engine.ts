/**
 * A Docker engine of the test's own (data root, socket and exec root in a temp dir, no iptables,
 * no bridge) holding one busybox image made with `docker import` (there is no registry), for
 * tests that run the synthesized container settings on a real engine.
 */
import { ChildProcess, spawn, spawnSync, SpawnSyncReturns } from "node:child_process";
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface BusyboxEngineProps {
  /** Temp dir prefix, e.g. "kss2-pids-". */
  readonly prefix: string;
  /** Tag of the imported image, e.g. "kss2-busybox:1". */
  readonly image: string;
  /** busybox applets linked into /bin. */
  readonly applets: readonly string[];
  /** /etc/passwd lines. @default root only */
  readonly users?: readonly string[];
  /** /etc/group lines. @default none (no /etc/group) */
  readonly groups?: readonly string[];
}

export interface BusyboxEngine {
  /** The engine's temp dir (scratch files may go there; deleted by stop). */
  readonly dir: string;
  readonly env: NodeJS.ProcessEnv;
  readonly docker: (...args: string[]) => SpawnSyncReturns<string>;
  /** Removes every container, stops the engine, deletes its directory. */
  readonly stop: () => void;
}

/** True when dockerd, the docker CLI and busybox are on this machine (.ci/run installs them). */
export const haveDockerAndBusybox = () => spawnSync("sh", ["-c", "command -v dockerd && command -v docker && command -v busybox"]).status === 0;

export async function startBusyboxEngine(props: BusyboxEngineProps): Promise<BusyboxEngine> {
  const dir = mkdtempSync(join(tmpdir(), props.prefix));
  const sock = join(dir, "docker.sock");
  const env = { ...process.env, DOCKER_HOST: `unix://${sock}` };
  const docker = (...args: string[]) => spawnSync("docker", args, { env, encoding: "utf8", timeout: 60_000 });
  const daemon: ChildProcess = spawn(
    "dockerd",
    ["--iptables=false", "--ip6tables=false", "--bridge=none", "--storage-driver=vfs", `--data-root=${dir}/root`, `--exec-root=${dir}/exec`, `--pidfile=${dir}/docker.pid`, "-H", `unix://${sock}`],
    { stdio: "ignore" },
  );
  const stop = () => {
    spawnSync("sh", ["-c", "docker rm -f $(docker ps -aq) >/dev/null 2>&1"], { env, timeout: 60_000 });
    daemon.kill("SIGTERM");
    spawnSync("sh", ["-c", `for i in $(seq 100); do [ -e ${dir}/docker.pid ] || exit 0; sleep 0.1; done`]);
    if (existsSync(dir)) spawnSync("rm", ["-rf", dir]);
  };
  for (let i = 0; i < 150 && docker("version").status !== 0; i++) await new Promise((r) => setTimeout(r, 200));
  if (docker("version").status !== 0) {
    stop();
    throw new Error(`dockerd under ${dir} did not answer within 30 s`);
  }
  const rootfs = join(dir, "rootfs");
  for (const d of ["bin", "tmp", "etc", "proc", "sys", "dev"]) mkdirSync(join(rootfs, d), { recursive: true });
  // /tmp as in every base image (1777): Docker copies the image directory's mode onto a tmpfs.
  chmodSync(join(rootfs, "tmp"), 0o1777);
  copyFileSync("/usr/bin/busybox", join(rootfs, "bin", "busybox"));
  chmodSync(join(rootfs, "bin", "busybox"), 0o755);
  for (const a of props.applets) symlinkSync("busybox", join(rootfs, "bin", a));
  writeFileSync(join(rootfs, "etc", "passwd"), `${(props.users ?? ["root:x:0:0:root:/:/bin/sh"]).join("\n")}\n`);
  if (props.groups) writeFileSync(join(rootfs, "etc", "group"), `${props.groups.join("\n")}\n`);
  const imp = spawnSync("sh", ["-c", `tar -C ${rootfs} -c . | docker import - ${props.image}`], { env, encoding: "utf8" });
  if (imp.status !== 0) {
    stop();
    throw new Error(`docker import of ${props.image} failed: ${imp.stderr}`);
  }
  return { dir, env, docker, stop };
}
