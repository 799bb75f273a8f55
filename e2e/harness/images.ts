/**
 * Every image the homelab's plan needs, made on each simulated host's own engine before the
 * plan runs (no registry is reachable):
 *
 *   real      Postgres and MariaDB: Debian's servers behind the upstream images' environment
 *             contract (e2e/images/postgres, e2e/images/mariadb), tagged with the refs the
 *             spec pins, so the plan's docker_image finds them locally.
 *   bases     the portal's and the metrics API's base images (e2e/images/nginx-base,
 *             node-base); the plan builds portal/ and metrics/ from their real Dockerfiles
 *             over them, selected by build arguments.
 *   stand-ins every other pinned image (e2e/images/standin), tagged with its exact ref.
 *
 * Which refs need a stand-in, and the ports each listens on, come from the synthesized
 * stacks, so a service added to the spec gets one with no change here.
 */
import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { HomelabSpec } from "../../homelab/types";
import { CACHE_DIR, ensureFlavour } from "./debian";
import { FLAVOURS, FlavourName } from "./flavours";
import { SimHost } from "./hosts";
import { run, RunOptions, RunResult } from "./run";
import { SynthesizedStack } from "./synth";

/** What the image helpers need of an engine: a SimHost, or any dockerd a test started. */
export interface ImageEngine {
  readonly name: string;
  docker(args: readonly string[], options?: RunOptions): Promise<RunResult>;
}

export const IMAGES_DIR = resolve(__dirname, "..", "images");
const REPO_ROOT = resolve(__dirname, "..", "..");

/** Tags of the test's base images for the homelab's own Dockerfiles, by the ARG that selects them. */
export type BaseTags = Readonly<Record<string, string>>;

/** The base tags (a function of the flavours, the base folders and the npm cache, nothing else). */
export function baseTags(flavours: Record<FlavourName, { hash: string }>, npmCache: string): BaseTags {
  return {
    NGINX_IMAGE: `kse2e/nginx-unprivileged-base:${flavours.nginx.hash}-${dirHash(join(IMAGES_DIR, "nginx-base"))}`,
    NODE_IMAGE: `kse2e/node-base:${flavours.node.hash}-${dirHash(join(IMAGES_DIR, "node-base"))}-${npmCache.slice(-12)}`,
    ...backupBaseTags(flavours),
  };
}

/** The backup image's base tags (its RESTIC_IMAGE and DOCKER_CLI_IMAGE build arguments). */
export function backupBaseTags(flavours: Pick<Record<FlavourName, { hash: string }>, "restic" | "dockercli">): BaseTags {
  return {
    RESTIC_IMAGE: `kse2e/restic-base:${flavours.restic.hash}-${dirHash(join(IMAGES_DIR, "restic-base"))}`,
    DOCKER_CLI_IMAGE: `kse2e/docker-cli-base:${flavours.dockercli.hash}-${dirHash(join(IMAGES_DIR, "docker-cli-base"))}`,
  };
}

/** Pinned refs that are real nginx in the homelab (the forwarders): the nginx base is real nginx too. */
function realNginxRefs(spec: HomelabSpec): string[] {
  return spec.forwarderImage ? [spec.forwarderImage] : [];
}

/** One pinned ref the test replaces with a stand-in, and the ports it must listen on. */
export interface StandIn {
  readonly ref: string;
  readonly ports: readonly number[];
  /** Spec services whose containers use it (for the report). */
  readonly usedBy: readonly string[];
}

/** Flavour tag in an engine: kse2e/debian-<flavour>:<hash>. */
export const flavourTag = (name: string, hash: string) => `kse2e/debian-${name}:${hash}`;

function dirHash(dir: string): string {
  const hash = createHash("sha256");
  for (const f of readdirSync(dir).sort()) hash.update(f).update(readFileSync(join(dir, f)));
  return hash.digest("hex").slice(0, 12);
}

/** Each flavour's tarball (cached), made in parallel where they are missing. */
export async function ensureFlavours(): Promise<Record<FlavourName, { tar: string; hash: string }>> {
  const out = {} as Record<FlavourName, { tar: string; hash: string }>;
  // Sequential: every flavour unpacks minbase and runs apt; two at once only fight for the disk.
  for (const [name, flavour] of Object.entries(FLAVOURS) as [FlavourName, (typeof FLAVOURS)[FlavourName]][]) {
    out[name] = await ensureFlavour(flavour);
  }
  return out;
}

/** The npm cache for the metrics image's offline `npm ci`: metrics/package-lock.json's packages. */
export async function ensureMetricsNpmCache(): Promise<string> {
  const lock = readFileSync(join(REPO_ROOT, "metrics", "package-lock.json"));
  const hash = createHash("sha256").update(lock).digest("hex").slice(0, 12);
  const dir = join(CACHE_DIR, `npm-metrics-${hash}`);
  if (existsSync(dir)) return dir;
  const work = mkdtempSync(join(CACHE_DIR, "npm-work-"));
  try {
    cpSync(join(REPO_ROOT, "metrics", "package.json"), join(work, "package.json"));
    cpSync(join(REPO_ROOT, "metrics", "package-lock.json"), join(work, "package-lock.json"));
    await run(["npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund", "--cache", join(work, "cache")], { cwd: work });
    renameSync(join(work, "cache"), dir);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return dir;
}

/** The pinned refs of the synthesized stacks (docker_image without a build) and of post-start sidecars. */
export function pinnedRefs(stacks: readonly SynthesizedStack[]): Map<string, { ports: Set<number>; usedBy: Set<string> }> {
  const refs = new Map<string, { ports: Set<number>; usedBy: Set<string> }>();
  const entry = (ref: string) => {
    let e = refs.get(ref);
    if (!e) refs.set(ref, (e = { ports: new Set(), usedBy: new Set() }));
    return e;
  };
  for (const stack of stacks) {
    const images = (stack.json.resource?.docker_image ?? {}) as Record<string, { name: string; build?: unknown }>;
    const byKey = new Map<string, string>();
    for (const [key, image] of Object.entries(images)) if (!image.build) byKey.set(key, image.name);
    const containers = (stack.json.resource?.docker_container ?? {}) as Record<string, Record<string, unknown>>;
    for (const c of Object.values(containers)) {
      const m = /\$\{docker_image\.([^.]+)\.image_id\}/.exec(String(c.image));
      const ref = m && byKey.get(m[1]);
      if (!ref) continue;
      const e = entry(ref);
      const labels = (c.labels ?? []) as { label: string; value: string }[];
      const service = labels.find((l) => l.label === "org.kitestacks.service")?.value;
      if (service) e.usedBy.add(service);
      // The ports its healthcheck asks for (cloudflared's comes from its --metrics argument at run time).
      const hc = (c.healthcheck as { test?: string[] }[] | undefined)?.[0]?.test ?? [];
      for (const word of hc) for (const p of word.matchAll(/127\.0\.0\.1:(\d+)/g)) e.ports.add(Number(p[1]));
      // And the ports it publishes (Portainer's agent on its tailnet address).
      for (const p of (c.ports ?? []) as { internal: number }[]) e.ports.add(Number(p.internal));
    }
    // Post-start steps (null_resource or terraform_data) that run a pinned sidecar image.
    for (const type of ["null_resource", "terraform_data"]) {
      const steps = (stack.json.resource?.[type] ?? {}) as Record<string, { provisioner?: unknown }>;
      for (const step of Object.values(steps)) {
        for (const m of JSON.stringify(step.provisioner ?? []).matchAll(/--entrypoint \/bin\/sh (\S+) -c/g)) entry(m[1]).usedBy.add("post-start sidecar");
      }
    }
  }
  return refs;
}

/** The refs that get a stand-in, with their ports: the spec's service ports plus what healthchecks ask. */
export function standIns(spec: HomelabSpec, stacks: readonly SynthesizedStack[]): StandIn[] {
  const real = new Set([spec.sharedPostgres?.image, spec.mariadbImage, ...realNginxRefs(spec)].filter((r): r is string => Boolean(r)));
  const out: StandIn[] = [];
  for (const [ref, e] of pinnedRefs(stacks)) {
    if (real.has(ref)) continue;
    for (const svc of spec.services) if ("ref" in svc.image && svc.image.ref === ref) e.ports.add(svc.port);
    out.push({ ref, ports: [...e.ports].sort((a, b) => a - b), usedBy: [...e.usedBy].sort() });
  }
  return out.sort((a, b) => a.ref.localeCompare(b.ref));
}

async function hasImage(host: ImageEngine, ref: string): Promise<boolean> {
  return (await host.docker(["image", "inspect", "--format", "{{.Id}}", ref], { allowFailure: true })).code === 0;
}

/** `docker build` (classic builder) of a folder into a tag, unless the engine has the tag already. */
export async function build(host: ImageEngine, tag: string, context: string, args: Record<string, string>): Promise<void> {
  if (await hasImage(host, tag)) return;
  const t0 = Date.now();
  const argv = ["build", "-q", "-t", tag];
  for (const [k, v] of Object.entries(args)) argv.push("--build-arg", `${k}=${v}`);
  await host.docker([...argv, context], { env: { ...process.env, DOCKER_BUILDKIT: "0" } });
  log(`${host.name}: built ${tag} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}

function log(line: string): void {
  process.stderr.write(`[e2e images] ${line}\n`);
}

/** `docker import` of each flavour's tarball as kse2e/debian-<flavour>:<hash>, where the engine lacks it. */
export async function importFlavours(host: ImageEngine, flavours: Partial<Record<FlavourName, { tar: string; hash: string }>>): Promise<void> {
  for (const [name, f] of Object.entries(flavours)) {
    if (!f) continue;
    const tag = flavourTag(name, f.hash);
    if (await hasImage(host, tag)) continue;
    const t0 = Date.now();
    await host.docker(["import", f.tar, tag]);
    log(`${host.name}: imported ${tag} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  }
}

/**
 * The backup image's bases (Debian's restic with busybox crond, Debian's docker CLI) on an
 * engine that has the restic and dockercli flavours imported; returns the build arguments.
 */
export async function provideBackupBases(host: ImageEngine, flavours: Pick<Record<FlavourName, { hash: string }>, "restic" | "dockercli">): Promise<BaseTags> {
  const tags = backupBaseTags(flavours);
  await build(host, tags.RESTIC_IMAGE, join(IMAGES_DIR, "restic-base"), { BASE: flavourTag("restic", flavours.restic.hash) });
  await build(host, tags.DOCKER_CLI_IMAGE, join(IMAGES_DIR, "docker-cli-base"), { BASE: flavourTag("dockercli", flavours.dockercli.hash) });
  return tags;
}

/**
 * What provideBaseImages puts into an engine, as a key: the root filesystems, the image
 * folders, the npm cache, the refs the spec pins for them and the engine's version. An engine
 * seeded with these (e2e/harness/seed.ts) needs none of that work again.
 */
export function baseImagesKey(spec: HomelabSpec, flavours: Record<FlavourName, { hash: string }>, bases: BaseTags, engineVersion: string): string {
  const hash = createHash("sha256");
  hash.update(engineVersion);
  for (const [name, f] of Object.entries(flavours).sort()) hash.update(`${name}=${f.hash}\n`);
  for (const [arg, tag] of Object.entries(bases).sort()) hash.update(`${arg}=${tag}\n`);
  for (const dir of ["postgres", "mariadb"]) hash.update(`${dir}=${dirHash(join(IMAGES_DIR, dir))}\n`);
  hash.update([spec.sharedPostgres?.image ?? "", spec.mariadbImage ?? "", ...realNginxRefs(spec)].join("\n"));
  return hash.digest("hex").slice(0, 16);
}

/**
 * The images every run needs the same: the Debian root filesystems, the real Postgres and
 * MariaDB tagged with the spec's refs, the bases of the homelab's own Dockerfiles and the
 * forwarders' nginx. Each is skipped when the engine has it (a seeded engine has them all).
 */
export async function provideBaseImages(host: SimHost, spec: HomelabSpec, flavours: Record<FlavourName, { tar: string; hash: string }>, npmCache: string, bases: BaseTags): Promise<void> {
  await importFlavours(host, flavours);
  const base = (name: FlavourName) => flavourTag(name, flavours[name].hash);

  // Real servers, tagged with the refs the spec pins.
  if (spec.sharedPostgres) {
    await build(host, spec.sharedPostgres.image, join(IMAGES_DIR, "postgres"), { BASE: base("postgres") });
  }
  if (spec.mariadbImage) await build(host, spec.mariadbImage, join(IMAGES_DIR, "mariadb"), { BASE: base("mariadb") });

  // Bases for the homelab's own Dockerfiles.
  const nginxTag = bases.NGINX_IMAGE;
  await build(host, nginxTag, join(IMAGES_DIR, "nginx-base"), { BASE: base("nginx") });
  // The forwarders' pinned nginx-unprivileged: the same Debian nginx with its contract.
  for (const ref of realNginxRefs(spec)) if (!(await hasImage(host, ref))) await host.docker(["tag", nginxTag, ref]);
  await provideBackupBases(host, flavours);
  const nodeTag = bases.NODE_IMAGE;
  if (!(await hasImage(host, nodeTag))) {
    const ctx = mkdtempSync(join(host.dir, "node-base-"));
    try {
      cpSync(join(IMAGES_DIR, "node-base", "Dockerfile"), join(ctx, "Dockerfile"));
      cpSync(npmCache, join(ctx, "npm-cache"), { recursive: true });
      await build(host, nodeTag, ctx, { BASE: base("node") });
    } finally {
      rmSync(ctx, { recursive: true, force: true });
    }
  }
}

/**
 * The stand-ins, made every run: they trust the run's own edge CA. One shared base, then per
 * pinned ref an image that only adds its ref and ports (about a second each).
 */
export async function provideStandIns(host: SimHost, flavours: Record<FlavourName, { tar: string; hash: string }>, stand: readonly StandIn[], edgeCaCert: string): Promise<void> {
  const caHash = createHash("sha256").update(readFileSync(edgeCaCert)).digest("hex").slice(0, 8);
  const standinBase = `kse2e/standin-base:${flavours.standin.hash}-${dirHash(join(IMAGES_DIR, "standin"))}-${caHash}`;
  if (!(await hasImage(host, standinBase))) {
    const ctx = mkdtempSync(join(host.dir, "standin-base-"));
    try {
      cpSync(join(IMAGES_DIR, "standin"), ctx, { recursive: true });
      cpSync(edgeCaCert, join(ctx, "kse2e-ca.crt"));
      await build(host, standinBase, ctx, { BASE: flavourTag("standin", flavours.standin.hash) });
    } finally {
      rmSync(ctx, { recursive: true, force: true });
    }
  }
  for (const s of stand) {
    if (await hasImage(host, s.ref)) continue;
    const ctx = mkdtempSync(join(host.dir, "standin-"));
    try {
      writeFileSync(join(ctx, "ref"), `${s.ref}\n`);
      writeFileSync(join(ctx, "ports"), `${s.ports.join(",")}\n`);
      writeFileSync(
        join(ctx, "Dockerfile"),
        `# KiteStacks e2e STAND-IN for ${s.ref} (not the real image): see e2e/images/standin.\nFROM ${standinBase}\nCOPY ref ports /kse2e/\nLABEL org.kitestacks.e2e.standin-for=${JSON.stringify(s.ref)}\n`,
      );
      await build(host, s.ref, ctx, {});
    } finally {
      rmSync(ctx, { recursive: true, force: true });
    }
  }
}

/** Build folders (relative to the repo) of every docker_image the stacks build. */
export function buildFolders(stacks: readonly SynthesizedStack[]): string[] {
  const folders = new Set<string>();
  for (const stack of stacks) {
    for (const image of Object.values((stack.json.resource?.docker_image ?? {}) as Record<string, { build?: { context: string } }>)) {
      // build.context is relative to the stack's working directory (constructs/built-image.ts).
      if (image.build) folders.add(relative(REPO_ROOT, resolve(stack.dir, image.build.context)));
    }
  }
  return [...folders].sort();
}

/**
 * Build arguments per build folder: each of the spec's built images gets the test base that
 * its Dockerfile's base-image ARG names (NGINX_IMAGE → the nginx base, NODE_IMAGE → node).
 */
export function baseBuildArgs(buildFolders: readonly string[], bases: BaseTags): Record<string, Record<string, string>> {
  const out: Record<string, Record<string, string>> = {};
  for (const folder of buildFolders) {
    const svc = { image: { build: folder } };
    const dockerfile = readFileSync(join(REPO_ROOT, svc.image.build, "Dockerfile"), "utf8");
    const args: Record<string, string> = {};
    for (const m of dockerfile.matchAll(/^ARG ([A-Z_]*IMAGE)=/gm)) {
      if (!bases[m[1]]) throw new Error(`${svc.image.build}/Dockerfile: ARG ${m[1]} selects a base image the e2e test does not make; add one to e2e/images and e2e/harness/images.ts`);
      args[m[1]] = bases[m[1]];
    }
    if (Object.keys(args).length === 0) {
      throw new Error(`${svc.image.build}/Dockerfile has no base-image ARG (ARG <NAME>_IMAGE=<pinned ref>): the e2e hosts cannot pull its FROM image`);
    }
    out[svc.image.build] = args;
  }
  return out;
}

/** For the test report: a stand-in's ref → what it does not cover is in docs/testing.md. */
export function describeStandIns(stand: readonly StandIn[]): string {
  return stand.map((s) => `  ${s.ref}  ports ${s.ports.join(",") || "-"}  used by ${s.usedBy.join(", ")}`).join("\n");
}

/**
 * The backup image's restic base with the run's CA as its system certificate bundle (Go's
 * crypto/x509 reads /etc/ssl/certs/ca-certificates.crt; the Debian restic flavour has none), so
 * the job's restic trusts the lab's S3 store (e2e/harness/s3-store.ts) as the real
 * restic/restic image (Alpine's ca-certificates) trusts R2. Made every run, like the stand-ins.
 */
export function trustingResticBaseTag(bases: BaseTags, caCert: string): string {
  const caHash = createHash("sha256").update(readFileSync(caCert)).digest("hex").slice(0, 8);
  return `kse2e/restic-base-ca:${bases.RESTIC_IMAGE.slice(bases.RESTIC_IMAGE.lastIndexOf(":") + 1)}-${caHash}`;
}

export async function provideTrustingResticBase(host: SimHost, bases: BaseTags, caCert: string): Promise<void> {
  const tag = trustingResticBaseTag(bases, caCert);
  if (await hasImage(host, tag)) return;
  const ctx = mkdtempSync(join(host.dir, "restic-ca-"));
  try {
    cpSync(caCert, join(ctx, "kse2e-ca.crt"));
    writeFileSync(
      join(ctx, "Dockerfile"),
      `# KiteStacks e2e: the restic base trusting this run's CA (the lab's S3 store).\nARG BASE\nFROM \${BASE}\nCOPY kse2e-ca.crt /etc/ssl/certs/ca-certificates.crt\n`,
    );
    await build(host, tag, ctx, { BASE: bases.RESTIC_IMAGE });
  } finally {
    rmSync(ctx, { recursive: true, force: true });
  }
}
