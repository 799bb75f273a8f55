/**
 * Adoption with the real Terraform: the owner's monk as it runs today (a compose project brought
 * up by the real docker-compose on a Docker engine of this test, with a marker file in every
 * mount), discovered into an adoption file (npm run adopt:discover's host part), then
 * monk-docker synthesized with it and planned and applied by the real terraform:
 *   - the plan imports every existing volume and the network, and destroys or replaces none;
 *   - applying the volumes keeps every marker (imported volumes and bind-backed ones);
 *   - a second plan of them is empty;
 *   - controls, so the checks can fail: without the adoption file the plan creates new, empty
 *     volumes; without the ignored labels it replaces the imported volumes (and prevent_destroy
 *     stops it).
 *
 * Stand-in: the docker provider is the labelled stand-in build (docs/terraform.md); the import
 * and plan logic under test is Terraform core's, and the volume schema (name, driver,
 * driver_opts, labels: ForceNew) is the same as in the pinned 3.6.2.
 */
import { randomBytes } from "node:crypto";
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { kitestacks } from "../../homelab/homelab";
import { validateAdoption } from "../../homelab/adoption";
import { TerraformToolchain } from "../../scripts/terraform-toolchain";
import { discover } from "../../scripts/adopt-discover";
import { OWNER_IMAGE, OWNER_PROJECT, OwnerHomelab, startOwnerHomelab } from "../adopt/owner-homelab";
import { runTerraform, synthesizeInto, tempDir, terraformToolchain, useStandIns } from "./terraform";

const STACK = "monk-docker";
const spec = kitestacks;
let tc: TerraformToolchain;
let owner: OwnerHomelab;
const dir = tempDir("ksa2-adopt");
let stackDir: string;
let env: NodeJS.ProcessEnv;
const started = Date.now();

interface ResourceChange {
  readonly address: string;
  readonly type: string;
  readonly change: { readonly actions: string[]; readonly importing?: { id: string }; readonly after?: Record<string, any>; readonly before?: Record<string, any> };
}

const ip = () => `100.${64 + (randomBytes(1)[0] % 64)}.${randomBytes(1)[0]}.${1 + (randomBytes(1)[0] % 254)}`;

/** Upstream states (edge, kscloud1-docker) with every output monk-docker reads, test values. */
function upstreamStates(stackJson: string): void {
  const reads = new Map<string, Set<string>>();
  for (const [, stack, output] of stackJson.matchAll(/data\.terraform_remote_state\.cross-stack-reference-input-([A-Za-z0-9_-]+)\.outputs\.([A-Za-z0-9_-]+)/g)) {
    if (!reads.has(stack)) reads.set(stack, new Set());
    reads.get(stack)!.add(output);
  }
  for (const [stack, outputs] of reads) {
    const values = Object.fromEntries([...outputs].map((o) => [o, { value: /tailscale_ip/.test(o) ? ip() : `ksa2${randomBytes(12).toString("hex")}`, type: "string", sensitive: true }]));
    writeFileSync(join(dir, `terraform.${stack}.tfstate`), JSON.stringify({ version: 4, terraform_version: tc.terraformVersion, serial: 1, lineage: `ksa2-${stack}`, outputs: values, resources: [], check_results: null }));
  }
}

function inputs(stackJson: { variable?: Record<string, { default?: unknown }> }): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = {};
  for (const [name, v] of Object.entries(stackJson.variable ?? {})) {
    if (v.default !== undefined) continue;
    out[`TF_VAR_${name}`] = /tailscale_ip/.test(name)
      ? ip()
      : /email|username/.test(name)
      ? "ksa2@example.test"
      : /endpoint/.test(name)
      ? "https://s3.example.test"
      : /host/.test(name)
      ? "smtp.example.test"
      : `ksa2${randomBytes(20).toString("hex")}`;
  }
  return out;
}

/** Synthesizes monk-docker (with or without the adoption) into `sub`, pointed at the test's engine. */
function prepare(sub: string, adoption: unknown): string {
  mkdirSync(join(dir, sub), { recursive: true });
  const synth = synthesizeInto(join(dir, sub), spec, adoption ? { adoption: validateAdoption(adoption, spec) } : {});
  const sd = synth.stackDir(STACK);
  writeFileSync(join(sd, "docker_host_override.tf.json"), JSON.stringify({ provider: { docker: { host: owner.engine.host, ssh_opts: [] } } }, null, 2));
  useStandIns(tc, sd);
  // The local backend's state paths point at <sub>/terraform.<stack>.tfstate: upstream states there.
  for (const f of ["edge", "kscloud1-docker"]) cpSync(join(dir, `terraform.${f}.tfstate`), join(dir, sub, `terraform.${f}.tfstate`));
  const init = runTerraform(tc, sd, ["init", "-input=false", "-no-color"], env);
  if (init.status !== 0) throw new Error(`terraform init (${sub}) failed:\n${init.stderr}${init.stdout}`);
  return sd;
}

function plan(sd: string, extra: string[] = []): { status: number | null; changes: ResourceChange[]; text: string } {
  const p = runTerraform(tc, sd, ["plan", "-input=false", "-no-color", "-out=plan.tfplan", ...extra], env);
  if (p.status !== 0) return { status: p.status, changes: [], text: p.stdout + p.stderr };
  const show = JSON.parse(runTerraform(tc, sd, ["show", "-json", "plan.tfplan"], env).stdout) as { resource_changes?: ResourceChange[] };
  return { status: 0, changes: show.resource_changes ?? [], text: p.stdout };
}

let adoption: any;
let volumeAddresses: string[];

beforeAll(async () => {
  tc = await terraformToolchain();
  owner = await startOwnerHomelab(spec, "monk", "tfadopt");
  const report = await discover(spec, { docker: (host, args) => (host.name === "monk" ? owner.docker(args) : { status: 255, stdout: "", stderr: "unreachable" }), hosts: ["monk"] });
  adoption = report.adoption;
  // The states monk-docker reads, and its inputs, from a first synth.
  mkdirSync(join(dir, "probe"));
  const first = synthesizeInto(join(dir, "probe"), spec, { adoption: validateAdoption(adoption, spec) });
  const json = readFileSync(join(first.stackDir(STACK), "cdk.tf.json"), "utf8");
  upstreamStates(json);
  env = inputs(JSON.parse(json));
  stackDir = prepare("adopted", adoption);
  volumeAddresses = Object.keys(JSON.parse(readFileSync(join(stackDir, "cdk.tf.json"), "utf8")).resource.docker_volume).map((id) => `docker_volume.${id}`);
}, 10 * 60_000);

afterAll(async () => {
  await owner?.stop();
  rmSync(dir, { recursive: true, force: true });
  process.stdout.write(`adopt plan test: ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
});

describe(`terraform plan of ${STACK} adopting the owner's compose project`, () => {
  let changes: ResourceChange[];

  test("imports every existing volume and the network; no volume is destroyed, replaced or created over data", () => {
    const p = plan(stackDir);
    expect({ status: p.status, text: p.status === 0 ? "" : p.text }).toEqual({ status: 0, text: "" });
    changes = p.changes;
    const volumes = changes.filter((c) => c.type === "docker_volume");
    expect(volumes.length).toBe(volumeAddresses.length);
    for (const v of volumes) expect(v.change.actions).not.toContain("delete");
    const imported = volumes.filter((v) => v.change.importing).map((v) => v.change.importing!.id).sort();
    expect(imported).toEqual([`${OWNER_PROJECT}_kavita-config`, `${OWNER_PROJECT}_open-webui`]);
    for (const v of volumes.filter((x) => x.change.importing)) expect(v.change.actions).toEqual(["no-op"]);
    // The compose bind mounts: new local volumes bound to the same directories.
    const binds = volumes.filter((v) => !v.change.importing && v.change.after?.driver_opts?.o === "bind");
    expect(binds.map((b) => b.change.after!.driver_opts.device).sort()).toEqual([`${owner.dir}/books`, `${owner.dir}/certs`, `${owner.dir}/custom-templates`, `${owner.dir}/media`]);
    // Only the replica-safe probe volume is new and empty, on purpose.
    expect(volumes.filter((v) => !v.change.importing && !v.change.after?.driver_opts).map((v) => v.change.after?.name)).toEqual(["metrics-disk-probe"]);
    const network = changes.find((c) => c.type === "docker_network")!;
    expect(network.change.importing?.id).toBe(adoption.hosts.monk.network);
    expect(network.change.actions).not.toContain("delete");
    // Nothing in the whole plan is destroyed (containers are new: the old ones are compose's).
    expect(changes.filter((c) => c.change.actions.includes("delete")).map((c) => c.address)).toEqual([]);
  });

  test("applying the volumes keeps every byte the old homelab wrote, and a second plan of them is empty", () => {
    const targets = volumeAddresses.flatMap((a) => ["-target", a]);
    const apply = runTerraform(tc, stackDir, ["apply", "-input=false", "-no-color", "-auto-approve", ...targets], env);
    expect({ status: apply.status, err: apply.status === 0 ? "" : apply.stderr + apply.stdout }).toEqual({ status: 0, err: "" });
    expect(apply.stdout).toMatch(/Apply complete! Resources: 2 imported, 5 added, 0 changed, 0 destroyed/);
    // Read each marker through the volume Terraform now manages (its Docker name in state).
    const state = JSON.parse(runTerraform(tc, stackDir, ["show", "-json"], env).stdout);
    const names: string[] = state.values.root_module.resources.filter((r: any) => r.type === "docker_volume").map((r: any) => r.values.name);
    const seen: string[] = [];
    for (const name of names) {
      const ls = owner.docker(["run", "--rm", "--network", "none", "-v", `${name}:/v:ro`, OWNER_IMAGE, "sh", "-c", "cat /v/kite-marker-* 2>/dev/null || true"]);
      expect(ls.status).toBe(0);
      seen.push(...ls.stdout.split("\n").filter(Boolean));
    }
    const monkMarkers = owner.markers.filter((m) => m.container !== "forgejo").map((m) => m.content);
    expect(seen.sort()).toEqual(expect.arrayContaining(monkMarkers.sort()));
    const again = runTerraform(tc, stackDir, ["plan", "-input=false", "-no-color", "-detailed-exitcode", ...targets], env);
    expect({ status: again.status, out: again.status === 0 ? "" : again.stdout }).toEqual({ status: 0, out: "" });
  });

  test("control: without the adoption file, the plan would create new, empty volumes under other names", () => {
    const sd = prepare("fresh", undefined);
    const p = plan(sd);
    expect(p.status).toBe(0);
    const created = p.changes.filter((c) => c.type === "docker_volume" && c.change.actions.includes("create")).map((c) => c.change.after?.name);
    expect(created).toEqual(expect.arrayContaining(["kavita-config", "open-webui-data", "authentik-data"]));
    expect(p.changes.some((c) => c.change.importing)).toBe(false);
  });

  test("control: without the ignored labels, the import would replace the volume, and prevent_destroy stops the plan", () => {
    const sd = prepare("labels", adoption);
    const file = join(sd, "cdk.tf.json");
    const json = JSON.parse(readFileSync(file, "utf8"));
    for (const body of Object.values(json.resource.docker_volume) as any[]) if (body.lifecycle?.ignore_changes) delete body.lifecycle.ignore_changes;
    writeFileSync(file, JSON.stringify(json));
    const p = plan(sd);
    expect(p.status).not.toBe(0);
    expect(p.text).toMatch(/Instance cannot be destroyed/);
  });
});
