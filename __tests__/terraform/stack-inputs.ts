/**
 * What a real `terraform plan` of a synthesized host stack needs besides its providers: the
 * upstream stacks' states it reads through terraform_remote_state (fixtures whose outputs are
 * random test secrets), and a value for every variable declared without a default.
 */
import { randomBytes } from "node:crypto";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { TerraformToolchain } from "../../scripts/terraform-toolchain";

/** Every `outputs.<name>` a stack reads from each upstream stack's state. */
export function upstreamReads(stackJson: string): Map<string, Set<string>> {
  const reads = new Map<string, Set<string>>();
  for (const [, stack, output] of stackJson.matchAll(/data\.terraform_remote_state\.cross-stack-reference-input-([A-Za-z0-9_-]+)\.outputs\.([A-Za-z0-9_-]+)/g)) {
    if (!reads.has(stack)) reads.set(stack, new Set());
    reads.get(stack)!.add(output);
  }
  return reads;
}

/** A random test secret, alphanumeric like the generated passwords. */
export const testSecret = (label: string) => `a1${label.replace(/[^a-z]/gi, "").slice(0, 6)}${randomBytes(18).toString("hex")}`;

const tailscaleLike = () => `100.${64 + (randomBytes(1)[0] % 64)}.${randomBytes(1)[0]}.${1 + (randomBytes(1)[0] % 254)}`;

/**
 * Writes `<dir>/terraform.<stack>.tfstate` for each upstream stack (where the local backend of a
 * stack synthesized in `dir` looks), every output a known secret; returns `<stack>:<output>` →
 * value.
 */
export function fixtureUpstreamStates(tc: TerraformToolchain, dir: string, reads: Map<string, Set<string>>): Map<string, string> {
  const secrets = new Map<string, string>();
  for (const [stack, outputs] of reads) {
    const values: Record<string, { value: string; type: string; sensitive: boolean }> = {};
    for (const output of outputs) {
      // The kscloud1 Tailscale address must look like one (it becomes a host name); it is a
      // sensitive variable upstream, so it must not show either.
      const value = /tailscale_ip/.test(output) ? tailscaleLike() : testSecret(output);
      values[output] = { value, type: "string", sensitive: true };
      secrets.set(`${stack}:${output}`, value);
    }
    const state = { version: 4, terraform_version: tc.terraformVersion, serial: 1, lineage: `a1-${randomBytes(8).toString("hex")}`, outputs: values, resources: [], check_results: null };
    writeFileSync(join(dir, `terraform.${stack}.tfstate`), JSON.stringify(state, null, 2));
  }
  return secrets;
}

/**
 * TF_VAR_* for every variable the stack declares without a default, with test values that pass
 * their validations; the secret-named ones are random and returned to be looked for.
 */
export function testInputs(stackJson: { variable?: Record<string, { default?: unknown }> }): { env: NodeJS.ProcessEnv; secrets: Map<string, string> } {
  const env: NodeJS.ProcessEnv = {};
  const secrets = new Map<string, string>();
  for (const [name, v] of Object.entries(stackJson.variable ?? {})) {
    if (v.default !== undefined) continue;
    let value: string;
    if (/tailscale_ip/.test(name)) value = tailscaleLike();
    else if (/password|secret|token|key/.test(name)) {
      value = testSecret(name);
      secrets.set(`var.${name}`, value);
    } else if (/email|username/.test(name)) value = "a1-test@example.test";
    else if (/endpoint/.test(name)) value = "https://s3.example.test";
    else if (/bucket/.test(name)) value = "a1-test-bucket";
    else if (/host/.test(name)) value = "smtp.example.test";
    else value = "a1-test-value";
    env[`TF_VAR_${name}`] = value;
  }
  return { env, secrets };
}
