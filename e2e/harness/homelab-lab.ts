/**
 * The homelab in a box as functions, for the e2e test, the benchmark (bench/e2e-plan.ts) and
 * any other test that needs the two simulated hosts with the homelab's images on them:
 *
 *   const h = await bringUpHomelab();   // hosts, fake edge, synth, images, edge fixture state
 *   await applyHostStacks(h);            // terraform init + apply, in deploy order
 *   await h.terraform(stack, ["plan"]);  // any terraform command in the deployer
 *   await h.destroy();                   // everything torn down (also call it on failure)
 *
 * Nothing here asserts anything; what is real and what is a stand-in: docs/testing.md.
 */
import { randomBytes } from "node:crypto";
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { stackNames } from "../../app";
import { hostsInDeployOrder, identityProvider } from "../../homelab/derive";
import { kitestacks } from "../../homelab/homelab";
import { HomelabSpec } from "../../homelab/types";
import { Lab, OUTSIDER_IP, SimHost, sweepStale } from "./hosts";
import { baseBuildArgs, baseImagesKey, baseTags, buildFolders, describeStandIns, ensureFlavours, ensureMetricsNpmCache, provideBaseImages, provideStandIns, provideTrustingResticBase, standIns, trustingResticBaseTag } from "./images";
import { S3Store, s3StoreDnsEntry, startS3Store } from "./s3-store";
import { engineVersion, saveSeed, seedPath } from "./seed";
import { RunResult, waitFor } from "./run";
import { SynthesizedStack, synthesize } from "./synth";
import { makeEdgeTls } from "./tls";
import { prepareStack, remoteStateReads, standInBanner, Terraform, terraform, terraformForE2e, writeOutputsState } from "./terraform";

const REPO_ROOT = resolve(__dirname, "..", "..");

export interface HostStack {
  readonly stack: SynthesizedStack;
  readonly host: SimHost;
}

export interface HomelabLab {
  readonly spec: HomelabSpec;
  readonly lab: Lab;
  readonly tf: Terraform;
  /** Every synthesized stack (edge, VMs, hosts). */
  readonly stacks: readonly SynthesizedStack[];
  /** Host stacks in deploy order, with their simulated host. */
  readonly hostStacks: readonly HostStack[];
  /** The person-supplied inputs, made up for this run (sensitive values random). */
  readonly inputs: Readonly<Record<string, string>>;
  /** The edge's tunnel token in the fixture state. */
  readonly fakeTunnelToken: string;
  /** The backup repository's S3 store, when asked for (BringUpOptions.backupStore). */
  readonly backupStore?: S3Store;
  /** Build arguments per build folder (the test's base images). */
  readonly buildArgs: Readonly<Record<string, Record<string, string>>>;
  /** The copy of the build folders the plan builds from. */
  readonly repoCopy: string;
  /** Seconds per named step, filled as they run. */
  readonly timings: Record<string, number>;
  /** Values for every variable a stack declares; an unknown one throws, naming it. */
  varsFor(stack: SynthesizedStack): Record<string, string>;
  /** `terraform <args>` in the stack's directory, inside the deployer. */
  terraform(stack: SynthesizedStack, args: readonly string[], allowFailure?: boolean): Promise<RunResult>;
  /** The stack's local state file (written by its apply). */
  statePath(stack: SynthesizedStack): string;
  timed<T>(what: string, fn: () => Promise<T>): Promise<T>;
  destroy(): Promise<void>;
}

export interface BringUpOptions {
  /** @default the homelab description */
  readonly spec?: HomelabSpec;
  /** Where each node's logs are copied on destroy. @default not kept */
  readonly artifactsDir?: string;
  /** Stream terraform's output. @default KSE2E_ECHO=1 */
  readonly echo?: boolean;
  /**
   * Serve `backup_s3_endpoint` for real (e2e/harness/s3-store.ts: moto in the outsider, over
   * HTTPS from the run's CA, which the backup image's restic base then trusts), so the hosts'
   * backup jobs can back up and restore. @default false: the endpoint's name does not resolve
   */
  readonly backupStore?: boolean;
}

/** Hosts, fake edge, synth with the test's bases, images on every host, the edge's fixture state. */
export async function bringUpHomelab(options: BringUpOptions = {}): Promise<HomelabLab> {
  const spec = options.spec ?? kitestacks;
  const timings: Record<string, number> = {};
  const timed = async <T>(what: string, fn: () => Promise<T>): Promise<T> => {
    const t0 = Date.now();
    try {
      return await fn();
    } finally {
      timings[what] = (Date.now() - t0) / 1000;
      process.stderr.write(`[e2e] ${what}: ${timings[what].toFixed(1)} s\n`);
    }
  };
  await sweepStale();
  const tf = await timed("toolchain", () => terraformForE2e());
  process.stderr.write(`${standInBanner(tf)}\n`);
  const flavours = await timed("debian root filesystems", () => ensureFlavours());
  const npmCache = await timed("npm cache for metrics", () => ensureMetricsNpmCache());
  const bases = baseTags(flavours, npmCache);
  // Every host's engine starts from the seed of these base images when one was saved.
  const seed = seedPath(baseImagesKey(spec, flavours, bases, await engineVersion()));
  const seeded = existsSync(seed) && process.env.KSE2E_NO_SEED !== "1";
  const lab = await timed(`hosts${seeded ? " (engines from the seed)" : ""}`, () =>
    Lab.create({ hosts: hostsInDeployOrder(spec).map((h) => ({ name: h.name, sshUser: h.sshUser })), artifactsDir: options.artifactsDir, engineSeed: seeded ? seed : undefined }),
  );
  try {
    const inputs: Record<string, string> = {
      admin_email: "admin@kse2e.invalid",
      smtp_host: "smtp.kse2e.invalid",
      smtp_username: "homelab@kse2e.invalid",
      smtp_password: randomBytes(12).toString("hex"),
      backup_s3_endpoint: "https://s3.kse2e.invalid",
      backup_s3_bucket: "kse2e-backups",
      backup_s3_access_key_id: randomBytes(10).toString("hex"),
      backup_s3_secret_access_key: randomBytes(20).toString("hex"),
    };

    // The fake edge (DNS + HTTPS for the public names) in the outsider namespace.
    const tls = await makeEdgeTls(lab.dir, spec.domain);
    const idp = identityProvider(spec);
    lab.outsider.spawnDaemon("fake-edge", [join(REPO_ROOT, "node_modules", ".bin", "tsx"), join(__dirname, "fake-edge.ts")], {
      ...process.env,
      KSE2E_EDGE_IP: OUTSIDER_IP,
      KSE2E_DOMAIN: spec.domain,
      KSE2E_IDP_HOSTNAME: idp?.hostnames?.[0] ?? `auth.${spec.domain}`,
      KSE2E_TLS_CERT: tls.cert,
      KSE2E_TLS_KEY: tls.key,
      ...(options.backupStore ? { KSE2E_EXTRA_NAMES: s3StoreDnsEntry(inputs.backup_s3_endpoint) } : {}),
    });
    const backupStore = options.backupStore
      ? await timed("S3 store for the backups", () => startS3Store(lab, inputs.backup_s3_endpoint, inputs.backup_s3_bucket, lab.dir))
      : undefined;

    // Synthesize twice: the first finds the build folders, the second passes their bases.
    const discovered = await timed("synth (discover build folders)", () => synthesize(lab.dir, {}));
    const folders = buildFolders(discovered);
    // The plan builds from a copy of the build folders in the run's folder: the portal-change
    // test edits that copy in place, so every build context keeps its path (the path is part
    // of a docker_image's configuration; another path would rebuild every image).
    const repoCopy = join(lab.dir, "repo");
    for (const folder of folders) {
      cpSync(join(REPO_ROOT, folder), join(repoCopy, folder), { recursive: true, filter: (src) => !/node_modules|[/\\]dist$/.test(src) });
    }
    // With the S3 store, the backup image's restic trusts the run's CA (a layer made per run;
    // the seed keeps the plain base).
    const buildArgs = baseBuildArgs(folders, options.backupStore ? { ...bases, RESTIC_IMAGE: trustingResticBaseTag(bases, tls.caCert) } : bases);
    const stacks = await timed("synth", () => synthesize(lab.dir, buildArgs, { repoRoot: repoCopy }));
    const hostStacks = hostsInDeployOrder(spec).map((h) => ({ stack: stacks.find((s) => s.name === stackNames.host(h.name))!, host: lab.hosts.get(h.name)! }));
    const stand = standIns(spec, stacks);
    process.stderr.write(`[e2e] stand-ins:\n${describeStandIns(stand)}\n`);
    const hosts = [...lab.hosts.values()];
    await timed("base images on every host", () => Promise.all(hosts.map((x) => provideBaseImages(x, spec, flavours, npmCache, bases))));
    if (!seeded) await timed("engine seed saved", () => saveSeed(hosts[0], seed));
    await timed("stand-ins on every host", () =>
      Promise.all(
        hosts.map(async (x) => {
          await provideStandIns(x, flavours, stand, tls.caCert);
          if (options.backupStore) await provideTrustingResticBase(x, bases, tls.caCert);
        }),
      ),
    );
    await waitFor("fake edge", async () => readFileSync(lab.outsider.logPath("fake-edge"), "utf8").includes("fake-edge ready"), 60_000);

    // The edge's outputs (the Cloudflare API is out of reach) as a fixture state; the host
    // stacks' own states are real, written by their applies.
    const fakeTunnelToken = `kse2e-fake-tunnel-token-${randomBytes(16).toString("hex")}`;
    const statePath = (stack: SynthesizedStack) => join(lab.dir, `terraform.${stack.name}.tfstate`);
    const applied = new Set(hostStacks.map(({ stack }) => statePath(stack)));
    const fixtures = new Map<string, Record<string, string>>();
    for (const { stack } of hostStacks) {
      for (const read of remoteStateReads(stack)) {
        if (applied.has(read.path)) continue;
        const outputs = fixtures.get(read.path) ?? {};
        for (const o of read.outputs) {
          if (!/tunnel.*token/.test(o)) throw new Error(`${stack.name} reads ${o} from ${read.name}: the e2e test has no fixture value for it`);
          outputs[o] = fakeTunnelToken;
        }
        fixtures.set(read.path, outputs);
      }
    }
    for (const [path, outputs] of fixtures) writeOutputsState(path, outputs);
    for (const { stack } of hostStacks) prepareStack(tf, stack);

    const varsFor = (stack: SynthesizedStack): Record<string, string> => {
      const out: Record<string, string> = {};
      for (const name of Object.keys(stack.json.variable ?? {})) {
        const ts = /^tailscale_ip_(.+)$/.exec(name);
        if (ts) {
          const host = lab.hosts.get(ts[1]);
          if (!host) throw new Error(`${stack.name}: variable ${name} names a host the lab does not have`);
          out[name] = host.tailscaleIp;
        } else if (name in inputs) {
          out[name] = inputs[name];
        } else {
          throw new Error(`${stack.name}: variable ${name} has no e2e value; add one to the inputs in e2e/harness/homelab-lab.ts`);
        }
      }
      return out;
    };
    const echo = options.echo ?? process.env.KSE2E_ECHO === "1";
    return {
      spec,
      lab,
      tf,
      stacks,
      hostStacks,
      inputs,
      fakeTunnelToken,
      backupStore,
      buildArgs,
      repoCopy,
      timings,
      varsFor,
      terraform: (stack, args, allowFailure = false) => terraform(lab.deployer, tf, stack, args, varsFor(stack), { allowFailure, echo }),
      statePath,
      timed,
      destroy: () => lab.destroy(),
    };
  } catch (error) {
    await lab.destroy();
    throw error;
  }
}

/** `terraform init` then `apply` of every host stack, in deploy order. */
export async function applyHostStacks(h: HomelabLab, only?: readonly string[]): Promise<void> {
  for (const { stack } of h.hostStacks) {
    if (only && !only.includes(stack.name)) continue;
    await h.timed(`terraform init ${stack.name}`, () => h.terraform(stack, ["init", "-input=false", "-no-color"]));
    await h.timed(`terraform apply ${stack.name}`, () => h.terraform(stack, ["apply", "-auto-approve", "-input=false", "-no-color"]));
  }
}

/**
 * Synthesizes the homelab again into the same folders, with the same build arguments and build
 * folders as the bring-up, and `env` added (e.g. KITESTACKS_ADOPTION=<file>: the adoption e2e
 * test, after discovery). Returns the new stacks; pass them to h.terraform. Stack folders and
 * state paths stay the same, so nothing applied before is lost.
 */
export async function resynthesize(h: HomelabLab, env: NodeJS.ProcessEnv): Promise<{ stacks: SynthesizedStack[]; hostStacks: HostStack[] }> {
  const stacks = await synthesize(h.lab.dir, h.buildArgs, { repoRoot: h.repoCopy, env });
  const hostStacks = h.hostStacks.map(({ stack, host }) => {
    const again = stacks.find((s) => s.name === stack.name);
    if (!again) throw new Error(`the second synth has no stack ${stack.name}`);
    prepareStack(h.tf, again);
    return { stack: again, host };
  });
  return { stacks, hostStacks };
}

/** A test file's teardown: the run's timings to `<artifactsDir>/<timingsFile>` and stderr, then everything torn down. */
export async function reportAndDestroy(h: HomelabLab | undefined, artifactsDir: string, timingsFile: string): Promise<void> {
  mkdirSync(artifactsDir, { recursive: true });
  if (h) writeFileSync(join(artifactsDir, timingsFile), JSON.stringify(h.timings, null, 2));
  await h?.destroy();
  if (h) process.stderr.write(`[e2e] timings (s): ${JSON.stringify(h.timings)}\n`);
}
