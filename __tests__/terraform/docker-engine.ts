/**
 * A Docker engine of the test's own: its own data root, exec root, pidfile and socket under a
 * temp dir, no bridge and no iptables changes. Nothing is pulled (there is no registry here).
 */
import { ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdirSync, openSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { which } from "../../scripts/terraform-toolchain";
import { tempDir } from "./terraform";

export interface DockerEngine {
  /** unix:///…/docker.sock */
  readonly host: string;
  readonly stop: () => Promise<void>;
}

/**
 * @param storageDriver vfs (the default: works on any filesystem, copies every layer in full) or
 * overlay2 (fast image builds; needs a filesystem overlayfs can sit on, as ext4 or xfs)
 */
export async function startDockerEngine(label: string, storageDriver: "vfs" | "overlay2" = "vfs"): Promise<DockerEngine> {
  const dockerd = which("dockerd") ?? "/usr/sbin/dockerd";
  const root = tempDir(`dockerd-${label}`);
  const sock = join(root, "docker.sock");
  for (const d of ["data", "exec"]) mkdirSync(join(root, d));
  const log = openSync(join(root, "dockerd.log"), "a");
  const child: ChildProcess = spawn(
    dockerd,
    [
      "--iptables=false",
      "--ip6tables=false",
      "--bridge=none",
      `--storage-driver=${storageDriver}`,
      `--data-root=${join(root, "data")}`,
      `--exec-root=${join(root, "exec")}`,
      `--pidfile=${join(root, "docker.pid")}`,
      `-H`,
      `unix://${sock}`,
    ],
    { stdio: ["ignore", log, log], detached: false },
  );
  const host = `unix://${sock}`;
  const stop = async () => {
    if (child.exitCode === null) {
      child.kill("SIGTERM");
      await new Promise<void>((resolve) => {
        const t = setTimeout(() => {
          child.kill("SIGKILL");
          resolve();
        }, 20_000);
        child.once("exit", () => {
          clearTimeout(t);
          resolve();
        });
      });
    }
    // A dockerd that had to be killed leaves its mounts (exec/netns/default, overlay layers).
    const mounts = readFileSync("/proc/mounts", "utf8").split("\n").map((l) => l.split(" ")[1]).filter((m) => m?.startsWith(`${root}/`));
    for (const m of mounts.reverse()) spawnSync("umount", ["-l", m]);
    rmSync(root, { recursive: true, force: true });
  };
  const deadline = Date.now() + 90_000;
  for (;;) {
    const r = spawnSync("docker", ["-H", host, "version", "--format", "{{.Server.Version}}"], { encoding: "utf8" });
    if (r.status === 0) break;
    if (child.exitCode !== null || Date.now() > deadline) {
      const text = readFileSync(join(root, "dockerd.log"), "utf8").split("\n").slice(-20).join("\n");
      await stop();
      throw new Error(`dockerd did not come up (exit ${child.exitCode}):\n${text}`);
    }
    await new Promise((r2) => setTimeout(r2, 500));
  }
  return { host, stop };
}
