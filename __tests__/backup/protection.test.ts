import { Volume } from "@cdktf/provider-docker/lib/volume";
import { formerVolumeAddress } from "../../constructs/hosted-service";
import { backupPlan, serviceVolumes, volumeName } from "../../backup/plan";
import { primaryHost, servicesOn } from "../../homelab/derive";
import { HomelabSpec, ServiceSpec } from "../../homelab/types";
import { goodSpec } from "../fixtures/specs";
import { check, findingsOf, freshHomelab } from "../policies/helpers";
import { resourcesOf, synthHomelab, TerraformJson } from "../helpers/synth";

const primary = primaryHost(goodSpec).name;

/** Every docker_volume of every host stack: address → body. */
function volumesOf(spec: HomelabSpec): Map<string, { stack: string; body: Record<string, any> }> {
  const lab = synthHomelab(spec);
  const out = new Map<string, { stack: string; body: Record<string, any> }>();
  for (const stack of lab.stacks.hosts.values()) {
    for (const [id, body] of Object.entries(resourcesOf(lab.json(stack), "docker_volume"))) out.set(`${stack.node.id}:docker_volume.${id}`, { stack: stack.node.id, body });
  }
  return out;
}

function movedOf(json: TerraformJson): { from: string; to: string }[] {
  return ((json as any).moved ?? []) as { from: string; to: string }[];
}

describe("protected volumes", () => {
  test("every volume of every host (app volumes, MariaDB and Postgres data) has prevent_destroy", () => {
    const volumes = volumesOf(goodSpec);
    expect(volumes.size).toBeGreaterThan(10);
    for (const [address, { body }] of volumes) expect({ address, prevent: body.lifecycle?.prevent_destroy }).toEqual({ address, prevent: true });
    const names = [...volumes.values()].map((v) => v.body.name);
    expect(names).toContain(`${goodSpec.sharedPostgres!.containerName}-data`);
  });

  test("the policy fails a volume without prevent_destroy, naming it and the fix", () => {
    const lab = freshHomelab();
    const stack = lab.stacks.hosts.get(primary)!;
    new Volume(stack, "unprotected", { name: "scratch-data" });
    new Volume(stack, "switched-off", { name: "other-data", lifecycle: { preventDestroy: false } });
    const found = findingsOf(check(lab), "volume-prevent-destroy");
    expect(found.map((f) => f.address).sort()).toEqual(["docker_volume.switched-off", "docker_volume.unprotected"]);
    expect(found[0].problem).toMatch(/can be destroyed by a plan/);
    expect(found[0].fix).toMatch(/preventDestroy: true.*docs\/backups\.md/);
  });
});

describe("renaming a service", () => {
  // The service with the most volumes on the primary host (derived, not named).
  const target = servicesOn(goodSpec, primary)
    .filter((s) => (s.volumes ?? []).length > 0)
    .sort((a, b) => (b.volumes?.length ?? 0) - (a.volumes?.length ?? 0))[0];
  const newName = `${target.name}-renamed`;
  const renamed: HomelabSpec = {
    ...goodSpec,
    services: goodSpec.services.map((s): ServiceSpec => (s === target ? { ...s, name: newName, formerNames: [target.name] } : s)),
  };

  test("moves every volume to its new address and keeps its Docker name: the plan destroys no volume", () => {
    const before = volumesOf(goodSpec);
    const after = volumesOf(renamed);
    const lab = synthHomelab(renamed);
    const moves = new Map<string, string>();
    for (const stack of lab.stacks.hosts.values()) for (const m of movedOf(lab.json(stack))) moves.set(`${stack.node.id}:${m.from}`, `${stack.node.id}:${m.to}`);
    expect(moves.size).toBeGreaterThan(0);
    // What Terraform does with each volume in the old state: kept, moved, or destroyed.
    for (const [address, { body }] of before) {
      const now = after.get(moves.get(address) ?? address);
      expect({ address, kept: now !== undefined }).toEqual({ address, kept: true });
      // A changed name would force a replacement (and prevent_destroy would stop the plan).
      expect(now!.body.name).toBe(body.name);
    }
    expect(after.size).toBe(before.size);
  });

  test("the former address is the one cdktf gave the volume under the old name", () => {
    const lab = synthHomelab(goodSpec);
    const stack = lab.stacks.hosts.get(primary)!;
    const ids = Object.keys(resourcesOf(lab.json(stack), "docker_volume"));
    for (const v of target.volumes ?? []) expect(ids).toContain(formerVolumeAddress(target.name, v.name).replace("docker_volume.", ""));
  });

  test("backups keep finding the volumes under their Docker names", () => {
    const plan = backupPlan(renamed, primary).find((b) => b.service === newName)!;
    expect(plan.volumes.map((v) => v.volume)).toEqual(serviceVolumes(target).map((v) => volumeName(target, v)));
    expect(plan.containers[0]).toBe(newName);
  });
});

describe("validation of the backup settings and former names", () => {
  test("lists every bad field at once", async () => {
    const { findSpecProblems } = await import("../../homelab/validate");
    const { repoRoot } = await import("../helpers/synth");
    const svc = goodSpec.services.find((s) => (s.volumes ?? []).length > 0)!;
    const other = goodSpec.services.find((s) => s !== svc)!;
    const bad: HomelabSpec = {
      ...goodSpec,
      backup: { schedule: "daily", drillSchedule: "45 4 * * 0", retention: { daily: -1, weekly: 0, monthly: 0 }, repositoryPath: "/abs", image: { build: "nowhere" } },
      services: goodSpec.services.map((s) => (s === svc ? { ...s, formerNames: ["Bad_Name", other.name] } : s)),
    };
    const fields = findSpecProblems(bad, repoRoot).map((p) => `${p.field}: ${p.problem}`);
    expect(fields).toEqual(
      expect.arrayContaining([
        "backup.schedule: is not five cron fields",
        "backup.retention.daily: is not a whole number in 0-1000",
        "backup.repositoryPath: is not a path inside a bucket",
        "backup.image.build: has no Dockerfile",
        `services[${svc.name}].formerNames[0]: is not a lowercase DNS label`,
        `services[${svc.name}].formerNames[1]: is the name of a current service`,
      ]),
    );
    expect(findSpecProblems(goodSpec, repoRoot)).toEqual([]);
  });
});

describe("retiring a service (spec.retired)", () => {
  // A service of the primary host with volumes (derived, not named).
  const svc = servicesOn(goodSpec, primary).find((s) => (s.volumes ?? []).length > 0)!;
  const without: HomelabSpec = { ...goodSpec, services: goodSpec.services.filter((s) => s !== svc) };

  function removedOf(spec: HomelabSpec): Map<string, string[]> {
    const lab = synthHomelab(spec);
    const out = new Map<string, string[]>();
    for (const [host, stack] of lab.stacks.hosts) {
      const removed = (((lab.json(stack) as any).removed ?? []) as { from: string; lifecycle: { destroy: boolean } }[]);
      for (const r of removed) expect(r.lifecycle).toEqual({ destroy: false });
      out.set(host, removed.map((r) => r.from).sort());
    }
    return out;
  }

  test("every host's stack forgets (never deletes) each volume the retired entry derives, and nothing else changes", () => {
    const before = removedOf(without);
    const after = removedOf({ ...without, retired: [{ service: svc, reason: "replaced; data kept for an export" }] });
    const lab = synthHomelab(goodSpec);
    const declared = Object.keys(resourcesOf(lab.json(lab.stacks.hosts.get(primary)!), "docker_volume"))
      .filter((id) => id.startsWith(`service-${svc.name}_`))
      .map((id) => `docker_volume.${id}`)
      .sort();
    expect(declared.length).toBe((svc.volumes ?? []).length + (svc.databases ?? []).filter((d) => d.engine === "mariadb").length);
    for (const [host, addresses] of after) {
      // The addresses the stack had for the service's volumes, on every host (a no-op where never in state).
      expect({ host, added: addresses.filter((a) => !before.get(host)!.includes(a)) }).toEqual({ host, added: declared });
    }
  });

  test("bad retired entries are listed at once, naming the field and the fix", async () => {
    const { findSpecProblems } = await import("../../homelab/validate");
    const { repoRoot } = await import("../helpers/synth");
    const renamed = goodSpec.services.find((s) => s !== svc)!;
    const bad: HomelabSpec = {
      ...goodSpec,
      services: goodSpec.services.map((s) => (s === renamed ? { ...s, formerNames: ["old-thing"] } : s)),
      retired: [
        { service: svc, reason: "gone" },
        { service: { ...svc, name: "old-thing" }, reason: "renamed long ago, really" },
      ],
    };
    const found = findSpecProblems(bad, repoRoot);
    expect(found.map((p) => `${p.field}: ${p.problem}`)).toEqual(
      expect.arrayContaining([
        `retired[${svc.name}].service.name: is also a current service`,
        `retired[${svc.name}].reason: does not say why the service went or where its data goes`,
        "retired[old-thing].service.name: is a former name of a current service, whose moved blocks already took its volumes",
      ]),
    );
    for (const p of found.filter((f) => f.field.startsWith("retired"))) expect(p.fix.length).toBeGreaterThan(10);
  });
});
