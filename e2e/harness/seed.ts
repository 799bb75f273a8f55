/**
 * Engine seeds: a host's Docker data root (the ext4 file system in a sparse file that each
 * simulated host loop-mounts at /var/lib/docker) saved right after provideBaseImages, so the
 * next run copies one file instead of importing seven root filesystems and building the bases
 * again on every host (minutes on two cores). The file name carries baseImagesKey(): anything
 * that would change those images makes a new seed, and the old ones are deleted.
 */
import { existsSync, readdirSync, renameSync, rmSync } from "node:fs";
import { join } from "node:path";
import { CACHE_DIR } from "./debian";
import { SimHost } from "./hosts";
import { run } from "./run";

export function seedPath(key: string): string {
  return join(CACHE_DIR, `engine-seed-${key}.ext4`);
}

/** The Docker engine's version on this machine (part of the seed's key). */
export async function engineVersion(): Promise<string> {
  return (await run(["dockerd", "--version"])).stdout.trim();
}

/**
 * Saves `host`'s data root as the seed: the engine stopped, the file system frozen while it is
 * copied (sparse), then everything started again. Other seeds are removed.
 */
export async function saveSeed(host: SimHost, path: string): Promise<void> {
  if (existsSync(path) || process.env.KSE2E_NO_SEED === "1") return;
  const t0 = Date.now();
  await host.stopDocker();
  await host.exec(["sync"]);
  await host.exec(["fsfreeze", "-f", SimHost.DATA_ROOT]);
  try {
    await run(["cp", "--sparse=always", host.dataRootImage, `${path}.tmp-${process.pid}`]);
  } finally {
    await host.exec(["fsfreeze", "-u", SimHost.DATA_ROOT]);
  }
  renameSync(`${path}.tmp-${process.pid}`, path);
  for (const f of readdirSync(CACHE_DIR)) {
    if (/^engine-seed-[0-9a-f]+\.ext4$/.test(f) && join(CACHE_DIR, f) !== path) rmSync(join(CACHE_DIR, f), { force: true });
  }
  await host.startDocker();
  process.stderr.write(`[e2e images] saved the engine seed ${path} from ${host.name} in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
}
