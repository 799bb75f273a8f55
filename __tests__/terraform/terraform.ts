/**
 * Helpers of the Terraform suite: synthesize the homelab into a directory, and run the real
 * terraform (with the mirrored providers, offline) on its stacks.
 */
import { App } from "cdktf";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { buildHomelab, BuildHomelabOptions } from "../../app";
import { kitestacks } from "../../homelab/homelab";
import { HomelabSpec } from "../../homelab/types";
import { ensureTerraformToolchain, STAND_IN_OVERRIDE_FILE, standInOverride, TerraformToolchain } from "../../scripts/terraform-toolchain";

export const repoRoot = resolve(__dirname, "..", "..");

/** A temp dir of this suite (helper tag a1 in the name, so parallel sessions never collide). */
export function tempDir(label: string): string {
  return mkdtempSync(join(tmpdir(), `a1-kitestacks-${label}-`));
}

let toolchain: Promise<TerraformToolchain> | undefined;
/** The toolchain, once per test file, as `npm run providers` left it (nothing is built here). */
export function terraformToolchain(): Promise<TerraformToolchain> {
  toolchain ??= ensureTerraformToolchain({ build: false, useRegistry: false });
  return toolchain;
}

export interface SynthesizedDir {
  /** cdktf.out of the synth. */
  readonly outdir: string;
  /** Stack names in the order cdktf wrote them. */
  readonly stacks: readonly string[];
  readonly stackDir: (stack: string) => string;
}

/**
 * Synthesizes a spec as `cdktf synth` does, into `<dir>/cdktf.out`. The working directory is
 * `dir` meanwhile, so the local backend's default state paths (`<cwd>/terraform.<stack>.tfstate`)
 * point into `dir`, never at a real checkout's state.
 */
export function synthesizeInto(dir: string, spec: HomelabSpec = kitestacks, options: Omit<BuildHomelabOptions, "repoRoot"> = {}): SynthesizedDir {
  const outdir = join(dir, "cdktf.out");
  const cwd = process.cwd();
  process.chdir(dir);
  try {
    const app = new App({ outdir });
    buildHomelab(app, spec, { ...options, repoRoot });
    app.synth();
  } finally {
    process.chdir(cwd);
  }
  const stacks = readdirSync(join(outdir, "stacks")).sort();
  return { outdir, stacks, stackDir: (stack) => join(outdir, "stacks", stack) };
}

export interface TerraformRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export function runTerraform(tc: TerraformToolchain, cwd: string, args: readonly string[], env: NodeJS.ProcessEnv = {}): TerraformRun {
  const r = spawnSync(tc.terraform, args, {
    cwd,
    env: { ...tc.env, ...env },
    encoding: "utf8",
    maxBuffer: 256 * 1024 * 1024,
    timeout: 10 * 60_000,
  });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The required_providers of a synthesized stack, by local name. */
export function requiredProviders(stackDir: string): Record<string, { source: string; version?: string }> {
  const json = JSON.parse(readFileSync(join(stackDir, "cdk.tf.json"), "utf8")) as {
    terraform?: { required_providers?: Record<string, { source: string; version?: string }> };
  };
  return json.terraform?.required_providers ?? {};
}

/** A registry address (registry.terraform.io/ns/type) of a required_providers source. */
export function providerAddress(source: string): string {
  return `registry.terraform.io/${(source.includes("/") ? source : `hashicorp/${source}`).toLowerCase()}`;
}

/**
 * Points a stack at the stand-ins of pins the mirror lacks (an override file beside
 * cdk.tf.json), and says which: e.g. ["kreuzwerker/docker 0.0.0-2026…"]. Empty when the
 * stack runs on its pinned providers only.
 */
export function useStandIns(tc: TerraformToolchain, stackDir: string): string[] {
  const required = requiredProviders(stackDir);
  const override = standInOverride(tc, required) as { terraform: { required_providers: Record<string, { source: string; version: string }> } } | undefined;
  if (!override) return [];
  writeFileSync(join(stackDir, STAND_IN_OVERRIDE_FILE), JSON.stringify(override, null, 2));
  return Object.values(override.terraform.required_providers).map((p) => `${p.source} ${p.version}`);
}

interface Diagnostic {
  readonly severity: "error" | "warning";
  readonly summary: string;
  readonly detail?: string;
  readonly address?: string;
  readonly range?: { readonly filename: string; readonly start: { readonly line: number } };
}

/** What `terraform validate -json` found, one line per diagnostic, prefixed with the stack. */
export interface StackValidation {
  readonly stack: string;
  readonly valid: boolean;
  readonly errors: readonly string[];
  readonly warnings: readonly string[];
}

function describe(stack: string, d: Diagnostic): string {
  const where = d.address ?? (d.range ? `${d.range.filename}:${d.range.start.line}` : "");
  return `${stack}: ${d.severity} ${d.summary}${where ? ` (${where})` : ""}${d.detail ? `: ${d.detail}` : ""}`;
}

/**
 * `terraform init -backend=false` (providers from the mirror only) then `terraform validate
 * -json` in one synthesized stack. A failed init is an error of the stack too, with
 * Terraform's own words.
 */
export function validateStack(tc: TerraformToolchain, stack: string, stackDir: string): StackValidation {
  const init = runTerraform(tc, stackDir, ["init", "-backend=false", "-input=false", "-no-color"]);
  if (init.status !== 0) {
    return { stack, valid: false, errors: [`${stack}: terraform init failed: ${(init.stderr || init.stdout).trim()}`], warnings: [] };
  }
  const r = runTerraform(tc, stackDir, ["validate", "-json", "-no-color"]);
  const out = JSON.parse(r.stdout) as { valid: boolean; diagnostics: Diagnostic[] };
  return {
    stack,
    valid: out.valid && r.status === 0,
    errors: out.diagnostics.filter((d) => d.severity === "error").map((d) => describe(stack, d)),
    warnings: out.diagnostics.filter((d) => d.severity === "warning").map((d) => describe(stack, d)),
  };
}

export const exists = existsSync;
