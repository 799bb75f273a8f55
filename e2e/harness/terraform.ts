/**
 * Terraform for the e2e test: the project's toolchain (scripts/terraform-toolchain.ts: the
 * providers from its local mirror), run inside the deployer namespace so the Docker provider
 * reaches each host the way production does, `ssh://deploy@<host>`.
 *
 * The exact kreuzwerker/docker 3.6.2 the bindings pin cannot be had on this project's machines
 * (the Go module proxy refuses it). When the mirror lacks a pin and has the toolchain's
 * stand-in for it, the stacks are pointed at the stand-in by the same override file the
 * Terraform suite writes (standInOverride), and the run says so loudly (standInBanner).
 *
 * KSE2E_TERRAFORMRC=<file> replaces the toolchain's CLI config (a developer's own mirror, e.g.
 * one holding the real 3.6.2); CI never sets it.
 */
import { writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { ensureTerraformToolchain, PROVIDER_RECIPES, STAND_IN_OVERRIDE_FILE, standInOverride, TerraformToolchain } from "../../scripts/terraform-toolchain";
import { Deployer } from "./hosts";
import { RunOptions, RunResult } from "./run";
import { SynthesizedStack } from "./synth";

/** Providers a host stack needs (terraform_data is built in). */
export const HOST_STACK_PROVIDERS = ["docker", "random"] as const;

export interface Terraform {
  readonly bin: string;
  readonly env: NodeJS.ProcessEnv;
  /** Where the providers came from, for the report. */
  readonly source: string;
  /** The toolchain, when the run uses it (not with KSE2E_TERRAFORMRC). */
  readonly toolchain?: TerraformToolchain;
  /** Pins replaced by stand-ins in this run: "kreuzwerker/docker 3.6.2 -> 0.0.0-2026…". */
  readonly standIns: readonly string[];
}

/** Why a host stack's provider cannot be used: missing with no stand-in. Empty when all are there. */
export function missingHostProviders(tc: TerraformToolchain): string[] {
  return tc.providers
    .filter((p) => (HOST_STACK_PROVIDERS as readonly string[]).includes(p.recipe.name) && p.how === "missing" && !p.standIn)
    .map((p) => `provider ${p.address} ${p.recipe.version} is not available, nor its stand-in: ${p.reason}`);
}

export async function terraformForE2e(): Promise<Terraform> {
  const override = process.env.KSE2E_TERRAFORMRC;
  if (override) {
    return {
      bin: process.env.KSE2E_TERRAFORM ?? "terraform",
      env: { TF_CLI_CONFIG_FILE: override, CHECKPOINT_DISABLE: "1" },
      source: `KSE2E_TERRAFORMRC=${override} (developer override)`,
      standIns: [],
    };
  }
  // Nothing is built here: .ci/run (and a developer) runs `npm run providers` first.
  const tc = await ensureTerraformToolchain({ build: false, useRegistry: false, log: (l) => process.stderr.write(`[e2e terraform] ${l}\n`) });
  const missing = missingHostProviders(tc);
  if (missing.length > 0) throw new Error(`${missing.join("\n")}\nFix: run \`npm run providers\` (docs/terraform.md).`);
  const standIns = tc.providers
    .filter((p) => (HOST_STACK_PROVIDERS as readonly string[]).includes(p.recipe.name) && p.how === "missing" && p.standIn)
    .map((p) => `${p.recipe.source} ${p.recipe.version} -> stand-in ${p.standIn!.version} (${PROVIDER_RECIPES.find((r) => r.name === p.recipe.name)!.standIn!.after})`);
  return { bin: tc.terraform, env: tc.env, source: `${tc.cliConfigFile} (terraform ${tc.terraformVersion})`, toolchain: tc, standIns };
}

/** The lines the test prints (and docs/testing.md repeats) when a stand-in provider is in use. */
export function standInBanner(tf: Terraform): string {
  if (tf.standIns.length === 0) return `[e2e] providers: ${tf.source}, every pin as the stacks declare it`;
  const bar = "=".repeat(100);
  return [
    bar,
    "[e2e] PROVIDER STAND-IN IN USE. This run does NOT apply the stacks with the provider versions they pin:",
    ...tf.standIns.map((s) => `[e2e]   ${s}`),
    "[e2e] It proves: the synthesized JSON is accepted, planned and applied by real Docker provider code against",
    "[e2e]   real engines over ssh://, containers/volumes/networks/uploads/healthchecks/images behave as the",
    "[e2e]   assertions below check, and a second plan is empty under THIS provider's read-back.",
    "[e2e] It does not prove: that 3.6.2 reads every attribute back the same way (perpetual diffs can differ),",
    "[e2e]   nor 3.6.2's own bugs or defaults. Builds take the pin's code path (API build, DOCKER_BUILDKIT=0 below).",
    bar,
  ].join("\n");
}

/** Writes the stand-in override beside a stack's cdk.tf.json (nothing when the run needs none). */
export function prepareStack(tf: Terraform, stack: SynthesizedStack): void {
  if (!tf.toolchain) return;
  const override = standInOverride(tf.toolchain, stack.json.terraform?.required_providers ?? {});
  if (override) writeFileSync(join(stack.dir, STAND_IN_OVERRIDE_FILE), JSON.stringify(override, null, 2));
}

/**
 * The environment terraform runs with in the deployer: the toolchain's CLI config, the stack's
 * variables as TF_VAR_*, the engine's docker CLI first in PATH, then the toolchain's terraform
 * (a program that runs `terraform` itself, scripts/adopt.ts, finds the same one).
 */
export function terraformEnv(deployer: Deployer, tf: Terraform, stackName: string, vars: Readonly<Record<string, string>>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...tf.env,
    // The docker CLI of the engine under test (Debian's docker.io, /usr/bin/docker) first, for
    // the post-start steps: a newer CLI's `docker exec -i` fails against Engine 20.10 over SSH.
    PATH: `/usr/bin:${tf.bin.includes("/") ? `${dirname(tf.bin)}:` : ""}${process.env.PATH ?? "/usr/local/bin:/bin"}`,
    TF_IN_AUTOMATION: "1",
    TF_INPUT: "0",
    CHECKPOINT_DISABLE: "1",
    // Terraform logs to this file when a run needs a post-mortem (KSE2E_TF_LOG=DEBUG).
    ...(process.env.KSE2E_TF_LOG ? { TF_LOG: process.env.KSE2E_TF_LOG, TF_LOG_PATH: join(deployer.dir, "log", `terraform-${stackName}.log`) } : {}),
  };
  for (const [k, v] of Object.entries(vars)) env[`TF_VAR_${k}`] = v;
  // The pinned 3.6.2 builds an image through the engine's build API (with a BuildKit session)
  // unless the build names a `builder`, which the constructs never do. Releases after it (the
  // stand-in) switch to an in-process buildx unless DOCKER_BUILDKIT=0; that buildx dials the
  // docker CLI's default host instead of the provider's ssh:// one. DOCKER_BUILDKIT=0 keeps
  // the stand-in on the pin's code path (internal/provider/resource_docker_image_funcs.go,
  // canUseBuildx and buildDockerImage at v3.6.2); it changes nothing for 3.6.2 itself.
  env.DOCKER_BUILDKIT = "0";
  return env;
}

/** Runs `terraform -chdir=<stack dir> <args>` in the deployer. */
export function terraform(
  deployer: Deployer,
  tf: Terraform,
  stack: SynthesizedStack,
  args: readonly string[],
  vars: Readonly<Record<string, string>>,
  options: RunOptions = {},
): Promise<RunResult> {
  const env = terraformEnv(deployer, tf, stack.name, vars);
  return deployer.exec([tf.bin, `-chdir=${stack.dir}`, ...args], { ...options, env });
}

/** A Terraform state (format 4) holding only outputs: what an unreachable upstream stack would have written. */
export function writeOutputsState(path: string, outputs: Readonly<Record<string, string>>): void {
  const state = {
    version: 4,
    terraform_version: "1.11.4",
    serial: 1,
    lineage: "kse2e-fixture-00000000-0000-0000-0000-000000000000",
    outputs: Object.fromEntries(Object.entries(outputs).map(([k, v]) => [k, { value: v, type: "string", sensitive: true }])),
    resources: [],
    check_results: null,
  };
  writeFileSync(path, JSON.stringify(state, null, 2));
}

/** Every `terraform_remote_state` a stack reads: backend path and the outputs used. */
export function remoteStateReads(stack: SynthesizedStack): { name: string; path: string; outputs: string[] }[] {
  const sources = (stack.json.data?.terraform_remote_state ?? {}) as Record<string, { backend: string; config: { path?: string } }>;
  const text = JSON.stringify(stack.json);
  return Object.entries(sources).map(([name, s]) => {
    if (s.backend !== "local" || !s.config.path) throw new Error(`${stack.name}: remote state ${name} is not a local backend; the e2e test writes local fixtures only`);
    const outputs = [...text.matchAll(new RegExp(`data\\.terraform_remote_state\\.${name.replace(/[-.]/g, "\\$&")}\\.outputs\\.([A-Za-z0-9_-]+)`, "g"))].map((m) => m[1]);
    return { name, path: s.config.path, outputs: [...new Set(outputs)].sort() };
  });
}
