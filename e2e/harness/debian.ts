/**
 * Root filesystems made from Debian packages, cached as tarballs under ~/.cache/kitestacks/e2e
 * (CI keeps the folder between runs on the same machine). No registry is reachable, so every
 * image of the end-to-end test starts here:
 *
 *   minbase   `debootstrap --variant=minbase` of one Debian release from Debian's mirror
 *   flavours  minbase plus a few packages, installed with apt-get in a chroot (services are
 *             never started: policy-rc.d says no, as in Debian's own container images)
 *
 * A flavour's file name carries a hash of its package list and setup script, so changing
 * either builds a new one; an existing tarball is reused as is.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { run } from "./run";

export const DEBIAN_SUITE = process.env.KSE2E_DEBIAN_SUITE ?? "trixie";
export const DEBIAN_MIRROR = process.env.KSE2E_DEBIAN_MIRROR ?? "http://deb.debian.org/debian";
export const CACHE_DIR = process.env.KSE2E_CACHE_DIR ?? join(homedir(), ".cache", "kitestacks", "e2e");

export interface Flavour {
  /** Short name, part of the file and image names. */
  readonly name: string;
  readonly packages: readonly string[];
  /** Shell run in the chroot before apt-get installs the packages. @default none */
  readonly before?: string;
  /** Shell run in the chroot after. @default none */
  readonly after?: string;
}

function log(message: string): void {
  process.stderr.write(`[e2e images] ${message}\n`);
}

/** The minbase tarball, made once. */
export async function ensureMinbase(): Promise<string> {
  const tar = join(CACHE_DIR, `debian-${DEBIAN_SUITE}-minbase.tar`);
  if (existsSync(tar)) return tar;
  mkdirSync(CACHE_DIR, { recursive: true });
  const work = join(CACHE_DIR, `work-minbase-${process.pid}`);
  rmSync(work, { recursive: true, force: true });
  const t0 = Date.now();
  log(`debootstrap --variant=minbase ${DEBIAN_SUITE} (first run only; cached in ${CACHE_DIR})`);
  try {
    await run(["debootstrap", "--variant=minbase", DEBIAN_SUITE, work, DEBIAN_MIRROR]);
    await chrootClean(work);
    await run(["tar", "--numeric-owner", "-C", work, "-cf", `${tar}.tmp`, "."]);
    renameSync(`${tar}.tmp`, tar);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  log(`minbase ready in ${Math.round((Date.now() - t0) / 1000)} s`);
  return tar;
}

/** A flavour's tarball (minbase + packages), made once per package list. */
export async function ensureFlavour(flavour: Flavour): Promise<{ tar: string; hash: string }> {
  const minbase = await ensureMinbase();
  const hash = createHash("sha256")
    .update([DEBIAN_SUITE, DEBIAN_MIRROR, flavour.packages.join(" "), flavour.before ?? "", flavour.after ?? ""].join("\0"))
    .digest("hex")
    .slice(0, 12);
  const tar = join(CACHE_DIR, `debian-${DEBIAN_SUITE}-${flavour.name}-${hash}.tar`);
  if (existsSync(tar)) return { tar, hash };
  const work = join(CACHE_DIR, `work-${flavour.name}-${process.pid}`);
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  const t0 = Date.now();
  log(`flavour ${flavour.name}: apt-get install ${flavour.packages.join(" ")}`);
  try {
    await run(["tar", "--numeric-owner", "-C", work, "-xf", minbase]);
    writeFileSync(join(work, "usr/sbin/policy-rc.d"), "#!/bin/sh\n# Services never start during image builds.\nexit 101\n", { mode: 0o755 });
    // apt in the chroot resolves the mirror with the machine's resolver.
    await run(["cp", "-L", "/etc/resolv.conf", join(work, "etc/resolv.conf")]);
    const script = [
      "set -eu",
      "export DEBIAN_FRONTEND=noninteractive",
      flavour.before ?? "",
      "apt-get update -qq",
      `apt-get install -y -qq --no-install-recommends ${flavour.packages.join(" ")} >/dev/null`,
      flavour.after ?? "",
    ].join("\n");
    // A private mount namespace: /proc and /dev for the package scripts, gone when it exits.
    await run([
      "unshare", "--mount", "--propagation", "private", "sh", "-c",
      `mount -t proc proc '${work}/proc' && mount --rbind /dev '${work}/dev' && chroot '${work}' /bin/sh -c "$0"`,
      script,
    ]);
    await chrootClean(work);
    await run(["tar", "--numeric-owner", "-C", work, "-cf", `${tar}.tmp`, "."]);
    renameSync(`${tar}.tmp`, tar);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  log(`flavour ${flavour.name} ready in ${Math.round((Date.now() - t0) / 1000)} s`);
  return { tar, hash };
}

/** Drops apt's caches and lists and the build machine's resolver from a root filesystem. */
async function chrootClean(root: string): Promise<void> {
  for (const p of ["var/cache/apt/archives", "var/lib/apt/lists"]) {
    await run(["find", join(root, p), "-mindepth", "1", "-not", "-name", "lock", "-not", "-name", "partial", "-delete"], { allowFailure: true });
  }
  rmSync(join(root, "var/cache/apt/pkgcache.bin"), { force: true });
  rmSync(join(root, "var/cache/apt/srcpkgcache.bin"), { force: true });
  writeFileSync(join(root, "etc/resolv.conf"), "");
}
