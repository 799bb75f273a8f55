/**
 * Data survives renames, for real: the primary host stack's data-holding resources (every
 * docker_volume, and the random passwords that open the data: database passwords, the backup
 * repository's password) applied by real Terraform to a Docker engine this test starts; a file
 * written into each volume; then the description changes (a service renamed with formerNames, the
 * host renamed, a service retired, a service homed elsewhere), the homelab is synthesized again
 * and `terraform plan` + `show -json` must delete and replace nothing that holds data, the
 * volumes must still hold their files, and the documented procedures must work.
 *
 * Only the data-holding resources are applied (-target): applying the whole stack would need
 * every image built and every container started, which is the two-host e2e's job
 * (e2e/homelab.e2e.test.ts); what a rename does to data is decided by the state addresses and the
 * volume names, which this test applies for real. The plans are of the WHOLE stack.
 *
 * Stand-in: the docker provider is the nearest build the Go module proxy serves (the 3.6.2 pin
 * is refused there, docs/terraform.md); moved/removed blocks and prevent_destroy are Terraform
 * core's, and docker_volume's create/read/delete are the provider's own code.
 */
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { formerVolumeAddress, hostedVolumeIds } from "../../constructs/hosted-service";
import { findSpecProblems } from "../../homelab/validate";
import { primaryHost, servicesOn } from "../../homelab/derive";
import { isHomed } from "../../homelab/placement";
import { kitestacks } from "../../homelab/homelab";
import { HomelabSpec, ServiceSpec } from "../../homelab/types";
import { DATA_HOLDING_TYPES } from "../../scripts/plan-summary";
import { TerraformToolchain } from "../../scripts/terraform-toolchain";
import { DockerEngine, startDockerEngine } from "./docker-engine";
import { fixtureUpstreamStates, testInputs, upstreamReads } from "./stack-inputs";
import { repoRoot, runTerraform, synthesizeInto, tempDir, terraformToolchain, useStandIns } from "./terraform";

const spec = kitestacks;
const primary = primaryHost(spec).name;
/** Resource types whose loss or replacement loses data: the deploy's data guard's list. */
const DATA_TYPES: readonly string[] = DATA_HOLDING_TYPES;
const started = Date.now();

let tc: TerraformToolchain;
let engine: DockerEngine;
const dirs: string[] = [];

beforeAll(async () => {
  tc = await terraformToolchain();
  engine = await startDockerEngine("renames");
});
afterAll(async () => {
  await engine?.stop();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  process.stdout.write(`renames test: ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
});

function docker(args: string[]): string {
  return execFileSync("docker", ["-H", engine.host, ...args], { encoding: "utf8" }).trim();
}
const volumeNames = () => docker(["volume", "ls", "-q"]).split("\n").filter(Boolean).sort();
const mountpoint = (volume: string) => docker(["volume", "inspect", "-f", "{{.Mountpoint}}", volume]);
const createdAt = (volume: string) => docker(["volume", "inspect", "-f", "{{.CreatedAt}}", volume]);
/** A file in each volume, written through its mountpoint on the engine (what a container sees). */
function markVolumes(names: readonly string[]): Map<string, string> {
  const marks = new Map<string, string>();
  for (const v of names) {
    const text = `written into ${v} before the change, ${Date.now()}\n`;
    writeFileSync(join(mountpoint(v), "a1-marker.txt"), text);
    marks.set(v, text);
  }
  return marks;
}
const markOf = (volume: string) => {
  const f = join(mountpoint(volume), "a1-marker.txt");
  return existsSync(f) ? readFileSync(f, "utf8") : undefined;
};

interface ResourceChange {
  readonly address: string;
  readonly previous_address?: string;
  readonly type: string;
  readonly change: { readonly actions: readonly string[]; readonly after?: Record<string, unknown> };
}

/** One synthesized homelab in its own directory, with the stand-ins and the test's engine. */
class Lab {
  readonly dir = tempDir("renames");
  private env: NodeJS.ProcessEnv = {};
  constructor() {
    dirs.push(this.dir);
  }

  /** Synthesizes `s` into this directory (the state files stay: they are beside cdktf.out). */
  synth(s: HomelabSpec, stack: string): string {
    const stackDir = synthesizeInto(this.dir, s).stackDir(stack);
    const json = readFileSync(join(stackDir, "cdk.tf.json"), "utf8");
    const reads = upstreamReads(json);
    // The upstream states (the edge's) are fixtures, written once.
    for (const upstream of reads.keys()) if (existsSync(join(this.dir, `terraform.${upstream}.tfstate`))) reads.delete(upstream);
    fixtureUpstreamStates(tc, this.dir, reads);
    this.env = { ...testInputs(JSON.parse(json)).env, ...this.env };
    writeFileSync(join(stackDir, "docker_host_override.tf.json"), JSON.stringify({ provider: { docker: { host: engine.host, ssh_opts: [] } } }, null, 2));
    useStandIns(tc, stackDir);
    this.tf(stackDir, ["init", "-input=false", "-no-color"]);
    return stackDir;
  }

  tf(stackDir: string, args: string[], allowFailure = false) {
    const r = runTerraform(tc, stackDir, args, this.env);
    if (r.status !== 0 && !allowFailure) throw new Error(`terraform ${args.join(" ")} failed (${r.status}):\n${r.stderr}${r.stdout}`.slice(0, 6000));
    return r;
  }

  /** Addresses of the stack's data-holding resources in cdk.tf.json. */
  dataAddresses(stackDir: string): string[] {
    const json = JSON.parse(readFileSync(join(stackDir, "cdk.tf.json"), "utf8")) as { resource?: Record<string, Record<string, unknown>> };
    return DATA_TYPES.flatMap((t) => Object.keys(json.resource?.[t] ?? {}).map((id) => `${t}.${id}`));
  }

  /**
   * Applies only the data-holding resources (see the file comment for why -target), and the
   * old addresses of those that moved (Terraform wants a move's both ends targeted).
   */
  applyData(stackDir: string, addresses = this.dataAddresses(stackDir)): void {
    const json = JSON.parse(readFileSync(join(stackDir, "cdk.tf.json"), "utf8")) as { moved?: { from: string; to: string }[] };
    const from = (json.moved ?? []).filter((m) => addresses.includes(m.to)).map((m) => m.from);
    this.tf(stackDir, ["apply", "-input=false", "-no-color", "-auto-approve", ...[...addresses, ...from].map((a) => `-target=${a}`)]);
  }

  /** `terraform plan -out` of the whole stack and its `show -json`; status and stderr when it fails. */
  plan(stackDir: string, extra: string[] = []): { status: number | null; stderr: string; changes: ResourceChange[] } {
    const r = this.tf(stackDir, ["plan", "-input=false", "-no-color", "-out=plan.tfplan", ...extra], true);
    if (r.status !== 0) return { status: r.status, stderr: r.stderr, changes: [] };
    const show = JSON.parse(this.tf(stackDir, ["show", "-json", "plan.tfplan"]).stdout) as { resource_changes?: ResourceChange[] };
    return { status: 0, stderr: r.stderr, changes: show.resource_changes ?? [] };
  }

  state(stackDir: string): string[] {
    return this.tf(stackDir, ["state", "list"]).stdout.split("\n").filter(Boolean).sort();
  }

  /** The values of the data-holding resources in state (random results included), by address. */
  stateValues(stackDir: string): Map<string, Record<string, unknown>> {
    const show = JSON.parse(this.tf(stackDir, ["show", "-json"]).stdout) as { values?: { root_module?: { resources?: { address: string; type: string; values: Record<string, unknown> }[] } } };
    return new Map((show.values?.root_module?.resources ?? []).filter((r) => DATA_TYPES.includes(r.type)).map((r) => [r.address, r.values]));
  }
}

/**
 * What a plan would do to data: every delete or replace of anything, and any change to a
 * data-holding resource but a no-op (a move is one) or a forget (removed, destroy = false).
 */
function dataLoss(changes: readonly ResourceChange[]): string[] {
  return changes
    .filter((c) => c.change.actions.includes("delete") || (DATA_TYPES.includes(c.type) && !(c.change.actions.length === 1 && ["no-op", "forget"].includes(c.change.actions[0]))))
    .map((c) => `${c.address}: ${c.change.actions.join("+")}`);
}

/** Addresses named by Terraform's "Instance cannot be destroyed" errors (prevent_destroy). */
function refusedDestroys(stderr: string): string[] {
  const out = new Set<string>();
  for (const m of stderr.matchAll(/Resource\s+(\S+)\s+has\s+lifecycle\.prevent_destroy\s+set/g)) out.add(m[1]);
  return [...out].sort();
}

function resetEngine(): void {
  for (const v of volumeNames()) docker(["volume", "rm", v]);
}

/** The Terraform addresses HostedService gives a service's volumes (its own, its companions', its MariaDB's). */
const volumeAddresses = (svc: ServiceSpec, name = svc.name) => hostedVolumeIds(svc).map((id) => formerVolumeAddress(name, id.replace(/^volume-/, ""))).sort();
const volumesOf = (svc: ServiceSpec) => hostedVolumeIds(svc).length;
/** The service with the most volumes on the primary host (derived, never named). */
const renameTarget = servicesOn(spec, primary)
  .filter((s) => volumesOf(s) > 0)
  .sort((a, b) => volumesOf(b) - volumesOf(a))[0];

describe("renaming a service (formerNames) moves its volumes: nothing is destroyed, the data stays", () => {
  const lab = new Lab();
  const stack = `${primary}-docker`;
  const newName = `${renameTarget.name}-renamed`;
  const renamed: HomelabSpec = {
    ...spec,
    services: spec.services.map((s) => (s === renameTarget ? { ...s, name: newName, formerNames: [renameTarget.name] } : s)),
  };
  let before: string[];
  let marks: Map<string, string>;
  let created: Map<string, string>;
  let stackDir: string;

  test(`apply ${stack}'s volumes and passwords, write a file into every volume`, () => {
    resetEngine();
    stackDir = lab.synth(spec, stack);
    lab.applyData(stackDir);
    before = lab.state(stackDir);
    for (const a of volumeAddresses(renameTarget)) expect(before).toContain(a);
    marks = markVolumes(volumeNames());
    created = new Map(volumeNames().map((v) => [v, createdAt(v)]));
    expect(marks.size).toBeGreaterThan(5);
  });

  test(`rename ${renameTarget.name} → ${newName}: the plan of the whole stack moves its volumes and deletes nothing`, () => {
    stackDir = lab.synth(renamed, stack);
    const plan = lab.plan(stackDir);
    expect({ status: plan.status, stderr: plan.stderr }).toEqual({ status: 0, stderr: "" });
    expect(dataLoss(plan.changes)).toEqual([]);
    const moves = plan.changes.filter((c) => c.previous_address && c.previous_address !== c.address);
    const expected = volumeAddresses(renameTarget);
    expect(moves.filter((m) => m.type === "docker_volume").map((m) => m.previous_address).sort()).toEqual(expected);
    for (const m of moves) expect({ address: m.address, actions: m.change.actions }).toEqual({ address: m.address, actions: ["no-op"] });
    for (const m of moves) expect(m.address).toContain(newName);
    // Its generated secrets move too (a new Authentik secret key or database password would lock
    // out what the data was made with).
    const secrets = moves.filter((m) => m.type.startsWith("random_")).length;
    expect(secrets).toBe(plan.changes.filter((c) => c.type.startsWith("random_") && c.address.includes(`secrets_${newName}-`)).length);
  });

  // prevent_destroy only guards resources still in the configuration: an address that leaves it
  // (a dropped moved block) is planned for deletion without an error (Terraform's lifecycle docs).
  test("control: the same plan without the moved blocks deletes every one of its volumes (and its secrets)", () => {
    const copy = join(lab.dir, "control-no-moved");
    cpSync(stackDir, copy, { recursive: true, filter: (src) => !src.endsWith("plan.tfplan") });
    const file = join(copy, "cdk.tf.json");
    const json = JSON.parse(readFileSync(file, "utf8"));
    expect(json.moved?.length).toBeGreaterThan(0);
    delete json.moved;
    writeFileSync(file, JSON.stringify(json));
    const plan = lab.plan(copy);
    expect(plan.status).toBe(0);
    const deleted = plan.changes.filter((c) => c.type === "docker_volume" && c.change.actions.includes("delete")).map((c) => c.address).sort();
    expect(deleted).toEqual(volumeAddresses(renameTarget));
    expect(plan.changes.some((c) => c.type === "random_password" && c.change.actions.includes("delete"))).toBe(true);
  });

  test("apply: state has the new addresses, Docker the same volumes (same creation time), each still holding its file", () => {
    const moved = lab.dataAddresses(stackDir).filter((a) => a.startsWith("docker_volume.") && a.includes(newName));
    expect(moved.length).toBe(volumesOf(renameTarget));
    lab.applyData(stackDir);
    const after = lab.state(stackDir);
    expect(after.length).toBe(before.length);
    for (const a of moved) expect(after).toContain(a);
    for (const a of volumeAddresses(renameTarget)) expect(after).not.toContain(a);
    expect(volumeNames()).toEqual([...marks.keys()]);
    for (const [v, text] of marks) expect({ v, text: markOf(v), created: createdAt(v) }).toEqual({ v, text, created: created.get(v) });
    // And the next plan is quiet about data.
    expect(dataLoss(lab.plan(stackDir).changes)).toEqual([]);
  });
});

/** The spec with one host renamed everywhere it is named (placement homes, the shared Postgres...). */
function renameHost(s: HomelabSpec, from: string, to: string): HomelabSpec {
  const walk = (v: unknown): unknown => {
    if (v === from) return to;
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === "object" && Object.getPrototypeOf(v) === Object.prototype) {
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    }
    return v;
  };
  const out = walk(s) as HomelabSpec;
  // The machine keeps its Tailscale name until it is renamed there too (docs/backups.md).
  return { ...out, hosts: out.hosts.map((h) => (h.name === to ? { ...h, tailscaleName: h.tailscaleName ?? from } : h)) };
}

describe("renaming a host: its stack's state moves with it (docs/backups.md), and nothing is destroyed or regenerated", () => {
  const lab = new Lab();
  const newHost = `${primary}b`;
  const renamed = renameHost(spec, primary, newHost);
  const oldStack = `${primary}-docker`;
  const newStack = `${newHost}-docker`;
  let marks: Map<string, string>;
  let values: Map<string, Record<string, unknown>>;

  test(`apply ${oldStack}'s volumes and passwords`, () => {
    expect(findSpecProblems(renamed, repoRoot)).toEqual([]);
    expect(primaryHost(renamed).name).toBe(newHost);
    resetEngine();
    const dir = lab.synth(spec, oldStack);
    lab.applyData(dir);
    values = lab.stateValues(dir);
    expect([...values.keys()].some((a) => a.startsWith("random_password."))).toBe(true);
    marks = markVolumes(volumeNames());
  });

  test("without moving the state, the new stack would generate new passwords (why the procedure moves it)", () => {
    const dir = lab.synth(renamed, newStack);
    const plan = lab.plan(dir);
    expect(plan.status).toBe(0);
    const created = plan.changes.filter((c) => c.type === "random_password" && c.change.actions.includes("create"));
    expect(created.length).toBe([...values.keys()].filter((a) => a.startsWith("random_password.")).length);
  });

  test(`the procedure: move terraform.${oldStack}.tfstate to terraform.${newStack}.tfstate; the plan keeps every volume and password`, () => {
    renameSync(join(lab.dir, `terraform.${oldStack}.tfstate`), join(lab.dir, `terraform.${newStack}.tfstate`));
    const dir = lab.synth(renamed, newStack);
    const plan = lab.plan(dir);
    expect({ status: plan.status, stderr: plan.stderr }).toEqual({ status: 0, stderr: "" });
    expect(dataLoss(plan.changes)).toEqual([]);
    const kept = plan.changes.filter((c) => DATA_TYPES.includes(c.type)).map((c) => c.address).sort();
    expect(kept).toEqual([...values.keys()].sort());
    lab.applyData(dir);
    const after = lab.stateValues(dir);
    for (const [address, v] of values) expect({ address, result: after.get(address)?.result ?? after.get(address)?.name }).toEqual({ address, result: v.result ?? v.name });
    for (const [v, text] of marks) expect({ v, text: markOf(v) }).toEqual({ v, text });
  });
});

/** A service of the primary host with volumes whose removal leaves a valid description. */
function retirable(): ServiceSpec {
  for (const svc of servicesOn(spec, primary).filter((s) => volumesOf(s) > 0 && !(s.databases ?? []).some((d) => d.engine === "shared-postgres"))) {
    const without: HomelabSpec = { ...spec, services: spec.services.filter((s) => s !== svc) };
    if (findSpecProblems(without, repoRoot).length === 0) return svc;
  }
  throw new Error("no service of the primary host can be removed from the description on its own");
}

describe("retiring a service (docs/backups.md): prevent_destroy refuses a destroy; a retired entry forgets the volumes, a bare removal would delete them", () => {
  const lab = new Lab();
  const stack = `${primary}-docker`;
  const svc = retirable();
  const without: HomelabSpec = { ...spec, services: spec.services.filter((s) => s !== svc) };
  const retired: HomelabSpec = { ...without, retired: [{ service: svc, reason: "retired by the Terraform suite; data kept for a restore" }] };
  let stackDir: string;
  let names: string[];

  test(`a destroy of the whole stack is refused for every volume`, () => {
    resetEngine();
    stackDir = lab.synth(spec, stack);
    lab.applyData(stackDir);
    names = volumeNames();
    markVolumes(names);
    const plan = lab.plan(stackDir, ["-destroy"]);
    expect(plan.status).toBe(1);
    expect(refusedDestroys(plan.stderr)).toEqual(lab.state(stackDir).filter((a) => a.startsWith("docker_volume.")));
  });

  test(`control: ${svc.name} only removed from services, the plan deletes its volumes (what the deploy's data guard stops)`, () => {
    expect(findSpecProblems(without, repoRoot)).toEqual([]);
    const copy = lab.synth(without, stack);
    const deleting = lab.plan(copy);
    expect(deleting.status).toBe(0);
    const addresses = deleting.changes.filter((c) => c.type === "docker_volume" && c.change.actions.includes("delete")).map((c) => c.address).sort();
    expect(addresses).toEqual(volumeAddresses(svc));
    expect(dataLoss(deleting.changes)).toEqual(expect.arrayContaining(addresses.map((a) => `${a}: delete`)));
  });

  test(`${svc.name} moved to retired: the plan forgets its volumes and deletes nothing; applied, Docker still has them with their files`, () => {
    expect(findSpecProblems(retired, repoRoot)).toEqual([]);
    stackDir = lab.synth(retired, stack);
    const plan = lab.plan(stackDir);
    expect({ status: plan.status, stderr: plan.stderr }).toEqual({ status: 0, stderr: "" });
    expect(dataLoss(plan.changes)).toEqual([]);
    const forgotten = plan.changes.filter((c) => c.change.actions.includes("forget")).map((c) => c.address).sort();
    expect(forgotten).toEqual(volumeAddresses(svc));
    // Only the forgotten volumes are applied (-target): the rest of the stack needs images (file comment).
    lab.tf(stackDir, ["apply", "-input=false", "-no-color", "-auto-approve", ...forgotten.map((a) => `-target=${a}`)]);
    for (const a of forgotten) expect(lab.state(stackDir)).not.toContain(a);
    expect(volumeNames()).toEqual(names);
    for (const v of names) expect(markOf(v)).toMatch(/written into/);
    // A second plan still deletes nothing: the removed blocks stay harmless once forgotten.
    expect(dataLoss(lab.plan(stackDir).changes)).toEqual([]);
  });

  test("then `docker volume rm` deletes the data on purpose, which nothing in Terraform would have done", () => {
    const kept = new Set([...lab.stateValues(stackDir).values()].map((v) => String(v.name)));
    const free = volumeNames().filter((v) => !kept.has(v));
    expect(free.length).toBe(volumesOf(svc) + (svc.databases ?? []).filter((d) => d.engine === "mariadb").length);
    for (const v of free) docker(["volume", "rm", v]);
    for (const v of free) expect(volumeNames()).not.toContain(v);
  });
});

/** A homed service with volumes whose home is not the primary host (its volumes are "released" there). */
const homedElsewhere = spec.services.find((s) => isHomed(s) && s.placement.home !== primary && volumesOf(s) > 0)!;

describe("a service homed elsewhere: removed { destroy = false } forgets its volumes on the old host and keeps the data", () => {
  const lab = new Lab();
  const stack = `${primary}-docker`;
  // Before: the service lived on the primary host (so its volumes are in the primary's state).
  const before: HomelabSpec = {
    ...spec,
    services: spec.services.map((s) => (s === homedElsewhere && isHomed(s) ? { ...s, placement: { ...s.placement, home: primary } } : s)),
  };
  let addresses: string[];
  let stackDir: string;

  test(`${homedElsewhere.name} on ${primary}: apply its volumes`, () => {
    expect(findSpecProblems(before, repoRoot)).toEqual([]);
    resetEngine();
    stackDir = lab.synth(before, stack);
    lab.applyData(stackDir);
    addresses = volumeAddresses(homedElsewhere);
    for (const a of addresses) expect(lab.state(stackDir)).toContain(a);
    markVolumes(volumeNames());
  });

  test(`homed on ${(homedElsewhere.placement as { home: string }).home} again: the plan forgets the volumes, deletes nothing`, () => {
    stackDir = lab.synth(spec, stack);
    const json = JSON.parse(readFileSync(join(stackDir, "cdk.tf.json"), "utf8"));
    expect((json.removed as { from: string }[]).map((r) => r.from)).toEqual(expect.arrayContaining(addresses));
    const plan = lab.plan(stackDir);
    expect({ status: plan.status, stderr: plan.stderr }).toEqual({ status: 0, stderr: "" });
    expect(dataLoss(plan.changes)).toEqual([]);
    const forgotten = plan.changes.filter((c) => c.change.actions.includes("forget")).map((c) => c.address).sort();
    expect(forgotten).toEqual(addresses);
  });

  test("control: without the removed blocks the same plan deletes them (prevent_destroy does not guard a resource that left the configuration)", () => {
    const copy = join(lab.dir, "control-no-removed");
    cpSync(stackDir, copy, { recursive: true, filter: (src) => !src.endsWith("plan.tfplan") });
    const file = join(copy, "cdk.tf.json");
    const json = JSON.parse(readFileSync(file, "utf8"));
    delete json.removed;
    writeFileSync(file, JSON.stringify(json));
    const plan = lab.plan(copy);
    expect(plan.status).toBe(0);
    expect(plan.changes.filter((c) => c.change.actions.includes("delete")).map((c) => c.address).sort()).toEqual(addresses);
  });

  test("apply: the state no longer has them, the volumes are on the host with their files", () => {
    const names = volumeAddresses(homedElsewhere).map((a) => String(lab.stateValues(stackDir).get(a)?.name));
    lab.tf(stackDir, ["apply", "-input=false", "-no-color", "-auto-approve", ...addresses.map((a) => `-target=${a}`)]);
    const state = lab.state(stackDir);
    for (const a of addresses) expect(state).not.toContain(a);
    for (const n of names) expect(markOf(n)).toMatch(/written into/);
  });
});
