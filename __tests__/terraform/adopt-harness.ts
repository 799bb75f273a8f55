/**
 * The adoption Terraform tests' common ground: the owner's monk as it runs today (a compose
 * project on a Docker engine of the test's own, a marker in every mount), its adoption file as
 * discovery writes it, and monk-docker synthesized with it, pointed at that engine, initialised.
 */
import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Adoption, validateAdoption } from "../../homelab/adoption";
import { kitestacks } from "../../homelab/homelab";
import { discover } from "../../scripts/adopt-discover";
import { TerraformToolchain } from "../../scripts/terraform-toolchain";
import { OwnerHomelab, startOwnerHomelab } from "../adopt/owner-homelab";
import { runTerraform, synthesizeInto, tempDir, terraformToolchain, TerraformRun, useStandIns } from "./terraform";

export const STACK = "monk-docker";
export const spec = kitestacks;

export interface ResourceChange {
  readonly address: string;
  readonly type: string;
  readonly change: { readonly actions: string[]; readonly importing?: { id: string }; readonly after?: Record<string, any>; readonly before?: Record<string, any> };
}

export interface AdoptHarness {
  readonly tc: TerraformToolchain;
  readonly owner: OwnerHomelab;
  readonly adoption: Adoption;
  /** TF_VAR_* test inputs of the stack. */
  readonly env: NodeJS.ProcessEnv;
  /** Synthesizes monk-docker (with `adoption`, or none) into `<dir>/<sub>`, ready for plan. */
  readonly prepare: (sub: string, adoption: unknown) => string;
  readonly terraform: (stackDir: string, args: readonly string[]) => TerraformRun;
  readonly plan: (stackDir: string, extra?: string[]) => { status: number | null; changes: ResourceChange[]; text: string };
  readonly stop: () => Promise<void>;
}

const ip = () => `100.${64 + (randomBytes(1)[0] % 64)}.${randomBytes(1)[0]}.${1 + (randomBytes(1)[0] % 254)}`;

export async function startAdoptHarness(label: string): Promise<AdoptHarness> {
  const tc = await terraformToolchain();
  const dir = tempDir(`ksa2-${label}`);
  const owner = await startOwnerHomelab(spec, "monk", label);
  try {
    const report = await discover(spec, { docker: (host, args) => (host.name === "monk" ? owner.docker(args) : { status: 255, stdout: "", stderr: "unreachable" }), hosts: ["monk"] });
    const adoption = validateAdoption(report.adoption, spec);
    mkdirSync(join(dir, "probe"));
    const first = synthesizeInto(join(dir, "probe"), spec, { adoption });
    const json = readFileSync(join(first.stackDir(STACK), "cdk.tf.json"), "utf8");
    // Upstream states (edge, kscloud1-docker) holding every output monk-docker reads.
    const reads = new Map<string, Set<string>>();
    for (const [, stack, output] of json.matchAll(/data\.terraform_remote_state\.cross-stack-reference-input-([A-Za-z0-9_-]+)\.outputs\.([A-Za-z0-9_-]+)/g)) {
      if (!reads.has(stack)) reads.set(stack, new Set());
      reads.get(stack)!.add(output);
    }
    const states = new Map<string, string>();
    for (const [stack, outputs] of reads) {
      const values = Object.fromEntries([...outputs].map((o) => [o, { value: /tailscale_ip/.test(o) ? ip() : `ksa2${randomBytes(20).toString("hex")}`, type: "string", sensitive: true }]));
      states.set(stack, JSON.stringify({ version: 4, terraform_version: tc.terraformVersion, serial: 1, lineage: `ksa2-${stack}`, outputs: values, resources: [], check_results: null }));
    }
    const env: NodeJS.ProcessEnv = {};
    for (const [name, v] of Object.entries((JSON.parse(json).variable ?? {}) as Record<string, { default?: unknown }>)) {
      if (v.default !== undefined) continue;
      env[`TF_VAR_${name}`] = /tailscale_ip/.test(name)
        ? ip()
        : /email|username/.test(name)
        ? "ksa2@example.test"
        : /endpoint/.test(name)
        ? "https://s3.example.test"
        : /host/.test(name)
        ? "smtp.example.test"
        : `ksa2${randomBytes(20).toString("hex")}`;
    }
    const terraform = (sd: string, args: readonly string[]) => runTerraform(tc, sd, args, env);
    const prepare = (sub: string, a: unknown): string => {
      mkdirSync(join(dir, sub), { recursive: true });
      const synth = synthesizeInto(join(dir, sub), spec, a ? { adoption: validateAdoption(a, spec) } : {});
      const sd = synth.stackDir(STACK);
      writeFileSync(join(sd, "docker_host_override.tf.json"), JSON.stringify({ provider: { docker: { host: owner.engine.host, ssh_opts: [] } } }, null, 2));
      useStandIns(tc, sd);
      // The local backend reads <sub>/terraform.<stack>.tfstate: the upstream states go there.
      for (const [stack, state] of states) writeFileSync(join(dir, sub, `terraform.${stack}.tfstate`), state);
      const init = terraform(sd, ["init", "-input=false", "-no-color"]);
      if (init.status !== 0) throw new Error(`terraform init (${sub}) failed:\n${init.stderr}${init.stdout}`);
      return sd;
    };
    const plan = (sd: string, extra: string[] = []) => {
      const p = terraform(sd, ["plan", "-input=false", "-no-color", "-out=plan.tfplan", ...extra]);
      if (p.status !== 0) return { status: p.status, changes: [], text: p.stdout + p.stderr };
      const show = JSON.parse(terraform(sd, ["show", "-json", "plan.tfplan"]).stdout) as { resource_changes?: ResourceChange[] };
      return { status: 0, changes: show.resource_changes ?? [], text: p.stdout };
    };
    const stop = async () => {
      await owner.stop();
      rmSync(dir, { recursive: true, force: true });
    };
    return { tc, owner, adoption, env, prepare, terraform, plan, stop };
  } catch (e) {
    await owner.stop();
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
}
