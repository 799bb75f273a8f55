/**
 * Terraform for the e2e test: the project's toolchain (scripts/terraform-toolchain.ts: the
 * pinned providers from a local mirror), run inside the deployer namespace so the Docker
 * provider reaches each host the way production does, `ssh://deploy@<host>`.
 *
 * KSE2E_TERRAFORMRC=<file> replaces the toolchain's CLI config (a developer's own mirror, for
 * trying the test where the toolchain lacks a provider); CI never sets it.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { ensureTerraformToolchain } from "../../scripts/terraform-toolchain";
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
}

export async function terraformForE2e(): Promise<Terraform> {
  const override = process.env.KSE2E_TERRAFORMRC;
  if (override) {
    return {
      bin: process.env.KSE2E_TERRAFORM ?? "terraform",
      env: { TF_CLI_CONFIG_FILE: override, CHECKPOINT_DISABLE: "1" },
      source: `KSE2E_TERRAFORMRC=${override} (developer override)`,
    };
  }
  const tc = await ensureTerraformToolchain({ require: [...HOST_STACK_PROVIDERS], log: (l) => process.stderr.write(`[e2e terraform] ${l}\n`) });
  return { bin: tc.terraform, env: tc.env, source: `${tc.cliConfigFile} (terraform ${tc.terraformVersion})` };
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
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...tf.env,
    // The docker CLI of the engine under test (Debian's docker.io, /usr/bin/docker) first, for
    // the post-start steps: a newer CLI's `docker exec -i` fails against Engine 20.10 over SSH.
    PATH: `/usr/bin:${process.env.PATH ?? "/usr/local/bin:/bin"}`,
    TF_IN_AUTOMATION: "1",
    TF_INPUT: "0",
    CHECKPOINT_DISABLE: "1",
    // Terraform logs to this file when a run needs a post-mortem (KSE2E_TF_LOG=DEBUG).
    ...(process.env.KSE2E_TF_LOG ? { TF_LOG: process.env.KSE2E_TF_LOG, TF_LOG_PATH: join(deployer.dir, "log", `terraform-${stack.name}.log`) } : {}),
  };
  for (const [k, v] of Object.entries(vars)) env[`TF_VAR_${k}`] = v;
  // Developer override only: Docker provider builds newer than the pinned 3.x build images
  // with buildx through the docker CLI's own DOCKER_HOST, not the provider's host.
  const providerHost = stack.json.provider?.docker?.[0]?.host as string | undefined;
  if (process.env.KSE2E_TERRAFORMRC && providerHost) env.DOCKER_HOST = providerHost;
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
