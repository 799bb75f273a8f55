/**
 * Terraform and the exact providers the synthesized stacks pin, offline.
 *
 *   npm run providers            fill the mirror, write .tfproviders/terraformrc, print a table
 *   import { ensureTerraformToolchain } from "./scripts/terraform-toolchain"   (tests)
 *
 * Where the Terraform registry is reachable, `terraform providers mirror` fills a local
 * filesystem mirror. Elsewhere (CI, this project's machines) each provider is built from its
 * Go module through the Go module proxy, with the small wrapper modules under
 * tools/terraform-providers/<name>/ (go.mod + go.sum only; the provider is a `tool`).
 * Terraform itself is the one on PATH when its version is supported, else the pinned release
 * built the same way (tools/terraform/). docs/terraform.md records what was found per provider.
 *
 * Everything built lands in a cache outside the repo keyed by version
 * (`${XDG_CACHE_HOME:-~/.cache}/kitestacks/terraform`), so a second run and a fresh clone reuse
 * it; only the CLI config (git-ignored) is written into the checkout.
 */
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { delimiter, dirname, join, resolve } from "node:path";

/** The Terraform release the project supports (and builds when the machine has none). */
export const SUPPORTED_TERRAFORM = { version: "1.11.4", accepts: /^1\.11\.\d+$/ } as const;

const REPO_ROOT = resolve(__dirname, "..");

/** How one provider pinned by the stacks gets into the mirror without the registry. */
export interface ProviderRecipe {
  /** Local name in required_providers. */
  readonly name: string;
  /** Registry source address (namespace/type). */
  readonly source: string;
  /** The exact version the bindings pin (checked against them on every run). */
  readonly version: string;
  /** Where the pinned version is read from: an npm binding package, or the generated .gen. */
  readonly pinnedBy: { readonly npm: string } | { readonly gen: string };
  /** The Go module path as the provider's go.mod declares it. */
  readonly goModule: string;
  /** The Go module version of the release tag's commit (a pseudo-version when the tag cannot be one). */
  readonly goVersion: string;
  /** The release tag's commit upstream. */
  readonly tagCommit: string;
  /**
   * Set when the Go module proxy does not serve that module version: the reason, as found.
   * Such a provider comes only from the registry (or a mirror someone filled).
   */
  readonly unavailable?: string;
  /**
   * For an unavailable pin: the nearest build of the same provider that the proxy serves,
   * mirrored under its own version (never under the pinned one). Only the Terraform suite
   * uses it, through an override file (see standInOverride), so the stacks' real code is
   * loaded by real provider code; what it proves is written next to each test.
   */
  readonly standIn?: {
    /** Terraform version label: the Go pseudo-version without its "v". */
    readonly version: string;
    /** Package to build in tools/terraform-providers/<name>-standin (the go.mod's tool). */
    readonly goPackage: string;
    /** The upstream release it follows, as its changelog says. */
    readonly after: string;
    /**
     * Built only when asked (`npm run providers -- --all-stand-ins`, or options.allStandIns):
     * too slow for every run. @default false
     */
    readonly onRequest?: boolean;
  };
}

const PROXY_REFUSES = "the Go module proxy answers 403 \"This module version is not available\" for this version (and for the commit hash)";

/** One entry per provider any stack pins. docs/terraform.md explains each line. */
export const PROVIDER_RECIPES: readonly ProviderRecipe[] = [
  {
    name: "hcloud",
    source: "hetznercloud/hcloud",
    version: "1.68.0",
    pinnedBy: { gen: ".gen/versions.json" },
    goModule: "github.com/hetznercloud/terraform-provider-hcloud",
    goVersion: "v1.68.0",
    tagCommit: "93291f4960a23079d89574ab37b025b8e69da82d",
  },
  {
    name: "random",
    source: "hashicorp/random",
    version: "3.7.2",
    pinnedBy: { npm: "@cdktf/provider-random" },
    // go.mod still declares the pre-2020 path; v3 tags are no valid versions of it.
    goModule: "github.com/terraform-providers/terraform-provider-random",
    goVersion: "v1.3.2-0.20250422105519-bc2ddb552b46",
    tagCommit: "bc2ddb552b4676d16997987a9bf2875c7b98d342",
  },
  {
    name: "docker",
    source: "kreuzwerker/docker",
    version: "3.6.2",
    pinnedBy: { npm: "@cdktf/provider-docker" },
    // go.mod declares github.com/terraform-providers/terraform-provider-docker, which on
    // GitHub is the archived hashicorp repo: a wrapper would need a replace to kreuzwerker.
    goModule: "github.com/kreuzwerker/terraform-provider-docker",
    goVersion: "v0.0.0-20250613214648-2f20f8c3ce82",
    tagCommit: "2f20f8c3ce8290fcd03d96e69c7bc6338897a479",
    unavailable: PROXY_REFUSES,
    standIn: {
      version: "0.0.0-20260916201441-96d331c98ff4",
      goPackage: "github.com/terraform-providers/terraform-provider-docker",
      after: "v4.6.0 (2026-09-01; a major version above the pin)",
    },
  },
  {
    name: "cloudflare",
    source: "cloudflare/cloudflare",
    version: "5.14.0",
    pinnedBy: { npm: "@cdktf/provider-cloudflare" },
    goModule: "github.com/cloudflare/terraform-provider-cloudflare",
    goVersion: "v0.0.0-20251206005714-262c3ddc4869",
    tagCommit: "262c3ddc486915fcb291224e5453dc32d3e25602",
    unavailable: PROXY_REFUSES,
    standIn: {
      version: "0.0.0-20260824180050-4f360d592a7d",
      goPackage: "github.com/cloudflare/terraform-provider-cloudflare",
      after: "v5.24.0 (2026-08-20; same major version as the pin)",
      // ~1,100 packages: more than an hour on two cores shared with other jobs (docs/terraform.md).
      onRequest: true,
    },
  },
  // hashicorp/null 3.2.4 (github.com/terraform-providers/terraform-provider-null
  // v1.0.1-0.20250421213748-01034f80eb23) is refused too, and no other version of it is
  // served: the post-start steps use Terraform's built-in terraform_data instead.
];

export interface ProviderStatus {
  readonly recipe: ProviderRecipe;
  /** Registry address, e.g. registry.terraform.io/hashicorp/random. */
  readonly address: string;
  /** The binary in the mirror, when it is there. */
  readonly binary?: string;
  /** How it got there this run. */
  readonly how: "cached" | "built" | "registry" | "missing";
  /** Why it is missing. */
  readonly reason?: string;
  /** The stand-in in the mirror when the pin is missing (version and how it got there). */
  readonly standIn?: { readonly version: string; readonly binary: string; readonly how: "cached" | "built" };
  readonly seconds: number;
}

export interface TerraformToolchain {
  /** Absolute path of the terraform binary to run. */
  readonly terraform: string;
  readonly terraformVersion: string;
  /** The Terraform CLI config that installs providers from the mirror only. */
  readonly cliConfigFile: string;
  /** The filesystem mirror (unpacked layout). */
  readonly mirrorDir: string;
  /** Environment for terraform: TF_CLI_CONFIG_FILE set, checkpoint off, no plugin cache. */
  readonly env: NodeJS.ProcessEnv;
  readonly providers: readonly ProviderStatus[];
  /** Registry addresses whose pinned version the mirror has. */
  readonly available: ReadonlySet<string>;
  /** Stand-in versions in the mirror, by registry address, for pins it lacks. */
  readonly standIns: ReadonlyMap<string, string>;
}

export interface ToolchainOptions {
  /** Provider names that must end up in the mirror; a missing one throws. @default none */
  readonly require?: readonly string[];
  /** Progress lines. @default silent */
  readonly log?: (line: string) => void;
  /** @default `${XDG_CACHE_HOME:-~/.cache}/kitestacks/terraform` */
  readonly cacheDir?: string;
  /** Where the CLI config is written. @default <repo>/.tfproviders/terraformrc */
  readonly cliConfigFile?: string;
  /** Try the Terraform registry first. @default true when it answers within 3 s */
  readonly useRegistry?: boolean;
  /**
   * Build what the cache lacks. Tests pass false: they use what `npm run providers` put there
   * and report the rest, instead of compiling providers inside a test's time limit.
   * @default true
   */
  readonly build?: boolean;
  /** Also build the stand-ins marked onRequest. @default false */
  readonly allStandIns?: boolean;
}

export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CACHE_HOME && env.XDG_CACHE_HOME !== "" ? env.XDG_CACHE_HOME : join(homedir(), ".cache");
  return join(base, "kitestacks", "terraform");
}

/** linux_amd64 etc., as Terraform names platforms. */
export function terraformPlatform(): string {
  const os = process.platform === "win32" ? "windows" : process.platform;
  const arch = ({ x64: "amd64", arm64: "arm64", ia32: "386", arm: "arm" } as Record<string, string>)[process.arch] ?? process.arch;
  return `${os}_${arch}`;
}

/** The version a provider's binding pins, read from the binding itself (not from the recipe). */
export function pinnedVersion(recipe: ProviderRecipe, root = REPO_ROOT): string {
  if ("npm" in recipe.pinnedBy) {
    const file = join(root, "node_modules", recipe.pinnedBy.npm, "lib", "provider", "index.js");
    const match = /providerVersion: '([^']+)'/.exec(readFileSync(file, "utf8"));
    if (!match) throw new Error(`${file}: no providerVersion in the binding's generator metadata`);
    return match[1];
  }
  const versions = JSON.parse(readFileSync(join(root, recipe.pinnedBy.gen), "utf8")) as Record<string, string>;
  const version = versions[`registry.terraform.io/${recipe.source}`];
  if (!version) throw new Error(`${recipe.pinnedBy.gen}: no version for registry.terraform.io/${recipe.source}`);
  return version;
}

function goBinary(): string {
  const onPath = which("go");
  if (onPath) return onPath;
  if (existsSync("/usr/local/go/bin/go")) return "/usr/local/go/bin/go";
  throw new Error("go not found (PATH or /usr/local/go/bin/go). Fix: install Go >= 1.26 (the providers are built from their Go modules).");
}

export function which(command: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  for (const dir of (env.PATH ?? "").split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, command);
    try {
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

function terraformVersionOf(binary: string): string | undefined {
  const r = spawnSync(binary, ["version", "-json"], { encoding: "utf8", env: { ...process.env, CHECKPOINT_DISABLE: "1", TF_CLI_CONFIG_FILE: "/dev/null" } });
  if (r.status !== 0) return undefined;
  try {
    return (JSON.parse(r.stdout) as { terraform_version: string }).terraform_version;
  } catch {
    return undefined;
  }
}

/** True when a process with this pid runs (on this machine). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** A mkdir lock holding the owner's pid, so parallel runs build each thing once. */
async function withLock<T>(dir: string, fn: () => Promise<T> | T): Promise<T> {
  mkdirSync(dirname(dir), { recursive: true });
  const started = Date.now();
  for (;;) {
    try {
      mkdirSync(dir);
      writeFileSync(join(dir, "pid"), String(process.pid));
      break;
    } catch {
      // A lock whose owner is gone (killed mid-build) is taken over.
      let owner = NaN;
      try {
        owner = Number(readFileSync(join(dir, "pid"), "utf8"));
      } catch {
        // being created or removed right now
      }
      if (Number.isInteger(owner) && !alive(owner)) rmSync(dir, { recursive: true, force: true });
      if (Date.now() - started > 60 * 60_000) throw new Error(`timed out after an hour waiting for ${dir} (pid ${owner})`);
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Go build environment: two parallel jobs (a shared 2-core machine), no cgo. */
function goEnv(): NodeJS.ProcessEnv {
  return { ...process.env, CGO_ENABLED: "0", GOFLAGS: "-p=2 -trimpath -buildvcs=false -mod=readonly", GOTOOLCHAIN: "local" };
}

/** Builds the tool package of a wrapper module (tools/...) into `out`. */
function goBuildTool(wrapperDir: string, pkg: string, out: string, log: (l: string) => void): void {
  const go = goBinary();
  mkdirSync(dirname(out), { recursive: true });
  const tmp = `${out}.tmp-${process.pid}`;
  log(`  go build ${pkg} (in ${wrapperDir.replace(`${REPO_ROOT}/`, "")})`);
  const r = spawnSync(go, ["build", "-ldflags=-s -w", "-o", tmp, pkg], { cwd: wrapperDir, env: goEnv(), encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) {
    rmSync(tmp, { force: true });
    throw new Error(`go build ${pkg} failed (exit ${r.status}):\n${(r.stderr ?? "").split("\n").slice(-30).join("\n")}`);
  }
  chmodSync(tmp, 0o755);
  renameSync(tmp, out);
}

function providerBinaryPath(mirrorDir: string, recipe: ProviderRecipe, version: string): string {
  const [ns, type] = recipe.source.split("/");
  return join(mirrorDir, "registry.terraform.io", ns, type, version, terraformPlatform(), `terraform-provider-${type}_v${version}`);
}

/** A packed mirror entry (what `terraform providers mirror` writes). */
function packedPath(mirrorDir: string, recipe: ProviderRecipe, version: string): string {
  const [ns, type] = recipe.source.split("/");
  return join(mirrorDir, "registry.terraform.io", ns, type, `terraform-provider-${type}_${version}_${terraformPlatform()}.zip`);
}

async function registryReachable(): Promise<boolean> {
  try {
    const res = await fetch("https://registry.terraform.io/.well-known/terraform.json", { signal: AbortSignal.timeout(3000) });
    return res.ok;
  } catch {
    return false;
  }
}

function mirrorFromRegistry(terraform: string, mirrorDir: string, recipes: readonly ProviderRecipe[], log: (l: string) => void): void {
  const dir = join(mirrorDir, "..", `registry-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  const required = Object.fromEntries(recipes.map((r) => [r.name, { source: r.source, version: r.version }]));
  writeFileSync(join(dir, "main.tf.json"), JSON.stringify({ terraform: { required_providers: required } }, null, 2));
  log(`  terraform providers mirror -platform=${terraformPlatform()} (registry)`);
  const r = spawnSync(terraform, ["providers", "mirror", `-platform=${terraformPlatform()}`, mirrorDir], {
    cwd: dir,
    encoding: "utf8",
    env: { ...process.env, CHECKPOINT_DISABLE: "1", TF_CLI_CONFIG_FILE: "/dev/null" },
  });
  rmSync(dir, { recursive: true, force: true });
  if (r.status !== 0) log(`  registry mirror failed, building instead:\n${r.stderr}`);
}

/** The Terraform CLI config: providers come from the mirror only (no registry lookups). */
export function cliConfigText(mirrorDir: string): string {
  return [
    "# Written by `npm run providers` (scripts/terraform-toolchain.ts). Git-ignored.",
    "# Providers install from the local mirror only, so terraform init works offline.",
    "provider_installation {",
    "  filesystem_mirror {",
    `    path    = ${JSON.stringify(mirrorDir)}`,
    '    include = ["registry.terraform.io/*/*"]',
    "  }",
    "}",
    "",
  ].join("\n");
}

async function ensureTerraform(cacheDir: string, log: (l: string) => void, build: boolean): Promise<{ binary: string; version: string }> {
  const onPath = which("terraform");
  if (onPath) {
    const version = terraformVersionOf(onPath);
    if (version && SUPPORTED_TERRAFORM.accepts.test(version)) return { binary: onPath, version };
    log(`  terraform on PATH is ${version ?? "unreadable"}, not ${SUPPORTED_TERRAFORM.version}: using the pinned build`);
  }
  const built = join(cacheDir, "terraform", SUPPORTED_TERRAFORM.version, "terraform");
  if (!existsSync(built) && !build) {
    throw new Error(`No Terraform ${SUPPORTED_TERRAFORM.version}: none on PATH and none built in ${built}. Fix: run \`npm run providers\`.`);
  }
  if (!existsSync(built)) {
    await withLock(join(cacheDir, "locks", "terraform"), () => {
      if (existsSync(built)) return;
      const started = Date.now();
      goBuildTool(join(REPO_ROOT, "tools", "terraform"), "github.com/hashicorp/terraform", built, log);
      log(`  terraform ${SUPPORTED_TERRAFORM.version} built in ${((Date.now() - started) / 1000).toFixed(0)} s`);
    });
  }
  const version = terraformVersionOf(built);
  if (version !== SUPPORTED_TERRAFORM.version) throw new Error(`${built} reports version ${version}, expected ${SUPPORTED_TERRAFORM.version}`);
  return { binary: built, version };
}

async function ensureProvider(
  mirrorDir: string,
  cacheDir: string,
  recipe: ProviderRecipe,
  log: (l: string) => void,
  build: boolean,
  allStandIns: boolean,
): Promise<ProviderStatus> {
  const started = Date.now();
  const address = `registry.terraform.io/${recipe.source}`;
  const binary = providerBinaryPath(mirrorDir, recipe, recipe.version);
  const seconds = () => (Date.now() - started) / 1000;
  if (existsSync(binary)) return { recipe, address, binary, how: "cached", seconds: seconds() };
  if (existsSync(packedPath(mirrorDir, recipe, recipe.version))) {
    return { recipe, address, binary: packedPath(mirrorDir, recipe, recipe.version), how: "registry", seconds: seconds() };
  }
  if (recipe.unavailable) {
    const reason = `${recipe.goModule}@${recipe.goVersion}: ${recipe.unavailable}`;
    if (!recipe.standIn) return { recipe, address, how: "missing", reason, seconds: seconds() };
    const standInBinary = providerBinaryPath(mirrorDir, recipe, recipe.standIn.version);
    let how: "cached" | "built" = "cached";
    if (!existsSync(standInBinary) && (!build || (recipe.standIn.onRequest && !allStandIns))) {
      const hint = recipe.standIn.onRequest ? "; its stand-in is built on request: npm run providers -- --all-stand-ins" : "";
      return { recipe, address, how: "missing", reason: `${reason}${hint}`, seconds: seconds() };
    }
    if (!existsSync(standInBinary)) {
      await withLock(join(cacheDir, "locks", `provider-${recipe.name}-standin`), () => {
        if (existsSync(standInBinary)) return;
        goBuildTool(join(REPO_ROOT, "tools", "terraform-providers", `${recipe.name}-standin`), recipe.standIn!.goPackage, standInBinary, log);
        how = "built";
      });
    }
    return { recipe, address, how: "missing", reason, standIn: { version: recipe.standIn.version, binary: standInBinary, how }, seconds: seconds() };
  }
  const wrapper = join(REPO_ROOT, "tools", "terraform-providers", recipe.name);
  if (!existsSync(join(wrapper, "go.mod"))) {
    return { recipe, address, how: "missing", reason: `no wrapper module at tools/terraform-providers/${recipe.name}`, seconds: seconds() };
  }
  if (!build) return { recipe, address, how: "missing", reason: "not built yet: run `npm run providers`", seconds: seconds() };
  await withLock(join(cacheDir, "locks", `provider-${recipe.name}`), () => {
    if (existsSync(binary)) return;
    goBuildTool(wrapper, recipe.goModule, binary, log);
  });
  return { recipe, address, binary, how: "built", seconds: seconds() };
}

/**
 * Makes sure Terraform and every pinned provider the Go module proxy (or the registry) can
 * supply are in the cache, writes the CLI config, and returns how to run terraform offline.
 * A second call finds everything in place and returns in well under a second.
 */
export async function ensureTerraformToolchain(options: ToolchainOptions = {}): Promise<TerraformToolchain> {
  const log = options.log ?? (() => undefined);
  const cacheDir = options.cacheDir ?? defaultCacheDir();
  const mirrorDir = join(cacheDir, "mirror");
  const cliConfigFile = options.cliConfigFile ?? join(REPO_ROOT, ".tfproviders", "terraformrc");
  mkdirSync(mirrorDir, { recursive: true });

  const problems: string[] = [];
  for (const recipe of PROVIDER_RECIPES) {
    const pinned = pinnedVersion(recipe);
    if (pinned !== recipe.version) {
      problems.push(
        `${recipe.source}: the bindings pin ${pinned} but scripts/terraform-toolchain.ts has a recipe for ${recipe.version}. Fix: update its PROVIDER_RECIPES entry (and the wrapper in tools/terraform-providers/${recipe.name}).`,
      );
    }
  }
  if (problems.length > 0) throw new Error(problems.join("\n"));

  const build = options.build ?? true;
  const tf = await ensureTerraform(cacheDir, log, build);

  const missingNow = PROVIDER_RECIPES.filter(
    (r) => !existsSync(providerBinaryPath(mirrorDir, r, r.version)) && !existsSync(packedPath(mirrorDir, r, r.version)),
  );
  if (build && missingNow.length > 0 && (options.useRegistry ?? (await registryReachable()))) {
    mirrorFromRegistry(tf.binary, mirrorDir, missingNow, log);
  }

  const providers: ProviderStatus[] = [];
  for (const recipe of PROVIDER_RECIPES) providers.push(await ensureProvider(mirrorDir, cacheDir, recipe, log, build, options.allStandIns ?? false));

  mkdirSync(dirname(cliConfigFile), { recursive: true });
  const text = cliConfigText(mirrorDir);
  if (!existsSync(cliConfigFile) || readFileSync(cliConfigFile, "utf8") !== text) writeFileSync(cliConfigFile, text);

  const missing = providers.filter((p) => p.how === "missing").map((p) => p.recipe.name);
  const requiredMissing = (options.require ?? []).filter((n) => missing.includes(n));
  if (requiredMissing.length > 0) {
    throw new Error(
      `Providers not in the mirror: ${requiredMissing
        .map((n) => `${n} (${providers.find((p) => p.recipe.name === n)!.reason})`)
        .join("; ")}. Fix: run \`npm run providers\` where the Terraform registry is reachable, or see docs/terraform.md.`,
    );
  }

  const env: NodeJS.ProcessEnv = {
    ...process.env,
    TF_CLI_CONFIG_FILE: cliConfigFile,
    CHECKPOINT_DISABLE: "1",
    TF_IN_AUTOMATION: "1",
    TF_INPUT: "0",
  };
  delete env.TF_PLUGIN_CACHE_DIR;
  return {
    terraform: tf.binary,
    terraformVersion: tf.version,
    cliConfigFile,
    mirrorDir,
    env,
    providers,
    available: new Set(providers.filter((p) => p.how !== "missing").map((p) => p.address)),
    standIns: new Map(providers.flatMap((p) => (p.standIn ? [[p.address, p.standIn.version] as const] : []))),
  };
}

async function main(): Promise<void> {
  const started = Date.now();
  const tc = await ensureTerraformToolchain({ log: (l) => console.log(l), allStandIns: process.argv.includes("--all-stand-ins") });
  console.log(`terraform ${tc.terraformVersion}: ${tc.terraform}`);
  for (const p of tc.providers) {
    const what = p.how === "missing" ? `MISSING: ${p.reason}` : `${p.how} (${p.seconds.toFixed(1)} s)`;
    console.log(`${p.recipe.source.padEnd(22)} ${p.recipe.version.padEnd(8)} ${what}`);
    if (p.standIn) console.log(`${"".padEnd(22)} stand-in ${p.standIn.version} ${p.standIn.how} (${p.seconds.toFixed(1)} s), for the Terraform suite only`);
  }
  console.log(`CLI config: ${tc.cliConfigFile}\nmirror:     ${tc.mirrorDir}`);
  console.log(`export TF_CLI_CONFIG_FILE=${tc.cliConfigFile}`);
  console.log(`providers: ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  });
}

/** Name of the override file that points a stack at stand-ins (Terraform merges *_override.tf.json last). */
export const STAND_IN_OVERRIDE_FILE = "kitestacks_standin_override.tf.json";

/**
 * The override a synthesized stack needs to init with the stand-ins: required_providers
 * entries with the stand-in versions, for the providers it requires whose pin is missing.
 * Returns undefined when the stack needs none. The override replaces only `version`.
 */
export function standInOverride(tc: TerraformToolchain, requiredProviders: Readonly<Record<string, { readonly source: string; readonly version?: string }>>): object | undefined {
  const entries: Record<string, { source: string; version: string }> = {};
  for (const [name, p] of Object.entries(requiredProviders)) {
    const source = p.source.includes("/") ? p.source : `hashicorp/${p.source}`;
    const standIn = tc.standIns.get(`registry.terraform.io/${source.toLowerCase()}`);
    if (standIn) entries[name] = { source: p.source, version: standIn };
  }
  return Object.keys(entries).length > 0 ? { terraform: { required_providers: entries } } : undefined;
}
