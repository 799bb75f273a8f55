import { App, TerraformStack } from "cdktf";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { buildHomelab, stackNames } from "../../app";
import { hostsInDeployOrder, publicServices, servicesOn } from "../../homelab/derive";
import { forwardedServicesOn } from "../../homelab/placement";
import { HomelabSpec } from "../../homelab/types";
import { SpecValidationError } from "../../homelab/validate";
import { fourHostSpec, goodSpec, kscloud2, pi4, withService } from "../fixtures/specs";
import { ancestors, filesUnder, removeTempDirs, repoRoot, synthToDisk, SynthOutput, tempDir } from "./helpers";

afterAll(removeTempDirs);

/** Container names in a host stack's Terraform. */
function containerNames(out: SynthOutput, stack: string): string[] {
  const containers = out.json.get(stack)?.resource?.docker_container ?? {};
  return Object.values(containers).map((c: any) => c.name as string);
}

describe("a bad spec", () => {
  const bad: HomelabSpec = withService(withService(goodSpec, "grafana", { port: 0 }), "kavita", { image: { ref: "jvmilazz0/kavita:latest" } });

  it("throws SpecValidationError before any stack exists, and synth writes no file", () => {
    const outdir = join(tempDir(), "cdktf.out");
    const app = new App({ outdir });
    expect(() => buildHomelab(app, bad, { repoRoot })).toThrow(SpecValidationError);
    expect(() => buildHomelab(app, bad, { repoRoot })).toThrow(/services\[grafana\]\.port: 0 is outside 1-65535[^]*services\[kavita\]\.image\.ref: "jvmilazz0\/kavita:latest" uses the floating tag latest/);
    expect(app.node.findAll().filter(TerraformStack.isStack)).toEqual([]);
    // The caller never reaches app.synth(): the outdir holds no file (new App() only made
    // empty folders; main.ts validates before new App(), so it makes none, see main.e2e).
    expect(filesUnder(outdir)).toEqual([]);
  });
});

describe("the four stacks", () => {
  let out: SynthOutput;
  beforeAll(() => {
    out = synthToDisk(goodSpec);
  });

  it("are named edge, kscloud1-vm, kscloud1-docker and monk-docker", () => {
    expect(Object.keys(out.manifest.stacks).sort()).toEqual(["edge", "kscloud1-docker", "kscloud1-vm", "monk-docker"]);
    expect([stackNames.edge, stackNames.vm("kscloud1"), stackNames.host("kscloud1"), stackNames.host("monk")]).toEqual([
      "edge",
      "kscloud1-vm",
      "kscloud1-docker",
      "monk-docker",
    ]);
    expect(out.stacks.edge.node.id).toBe("edge");
    expect([...out.stacks.vms.keys()]).toEqual(["kscloud1"]);
    // The primary host (the shared Postgres's) comes first.
    expect([...out.stacks.hosts.keys()]).toEqual(["kscloud1", "monk"]);
  });

  it("deploy in order: edge and kscloud1-vm, then kscloud1-docker, then monk-docker", () => {
    const m = out.manifest;
    expect([...ancestors(m, "edge")]).toEqual([]);
    expect([...ancestors(m, "kscloud1-vm")].filter((s) => s.endsWith("-docker"))).toEqual([]);
    expect(ancestors(m, "kscloud1-docker")).toEqual(new Set(["edge", "kscloud1-vm"]));
    expect(ancestors(m, "monk-docker")).toEqual(new Set(["edge", "kscloud1-vm", "kscloud1-docker"]));
    // No cycle: no stack waits for itself.
    for (const name of Object.keys(m.stacks)) expect(ancestors(m, name).has(name)).toBe(false);
  });

  it("carry the same order on the stack objects", () => {
    const monk = out.stacks.hosts.get("monk")!;
    const kscloud1 = out.stacks.hosts.get("kscloud1")!;
    expect(monk.dependencies).toEqual(expect.arrayContaining([out.stacks.edge, kscloud1]));
    expect(kscloud1.dependencies).toEqual(expect.arrayContaining([out.stacks.edge, out.stacks.vms.get("kscloud1")!]));
  });

  it("write one cdk.tf.json per stack", () => {
    for (const name of Object.keys(out.manifest.stacks)) {
      expect(filesUnder(out.outdir)).toContain(join("stacks", name, "cdk.tf.json"));
    }
  });
});

describe("hosts are data", () => {
  let out: SynthOutput;
  beforeAll(() => {
    out = synthToDisk(fourHostSpec);
  });

  it("gives every host its own docker stack, and a vm stack to hcloud hosts only", () => {
    expect(Object.keys(out.manifest.stacks).sort()).toEqual(
      ["edge", "kscloud1-docker", "kscloud1-vm", "kscloud2-docker", "kscloud2-vm", "monk-docker", "pi4-docker"].sort(),
    );
    expect(hostsInDeployOrder(fourHostSpec).map((h) => h.name)).toEqual(["kscloud1", "monk", "kscloud2", "pi4"]);
  });

  it("runs every public service on the new hosts", () => {
    const publicNames = publicServices(fourHostSpec).map((s) => s.name);
    expect(publicNames.length).toBeGreaterThan(5);
    for (const host of [kscloud2, pi4]) {
      expect(containerNames(out, stackNames.host(host.name))).toEqual(expect.arrayContaining(publicNames));
    }
  });

  it("runs on every host exactly the services the spec puts there (and forwarders of those homed elsewhere)", () => {
    for (const host of fourHostSpec.hosts) {
      const names = containerNames(out, stackNames.host(host.name));
      for (const svc of servicesOn(fourHostSpec, host.name)) expect(names).toContain(svc.name);
      // A homed service's forwarder carries the service's container name on the other connectors.
      const standIns = forwardedServicesOn(fourHostSpec, host.name);
      const elsewhere = fourHostSpec.services.filter((s) => !servicesOn(fourHostSpec, host.name).includes(s) && !standIns.includes(s));
      for (const svc of elsewhere) expect(names).not.toContain(svc.name);
    }
  });

  it("deploys the new hosts after the primary host, each after its own VM", () => {
    for (const name of ["kscloud2-docker", "pi4-docker"]) {
      expect(ancestors(out.manifest, name).has("kscloud1-docker")).toBe(true);
      expect(ancestors(out.manifest, name).has("edge")).toBe(true);
    }
    expect(ancestors(out.manifest, "kscloud2-docker").has("kscloud2-vm")).toBe(true);
  });

  it("adds no host the spec does not declare", () => {
    expect(existsSync(join(out.outdir, "stacks", "pi4-vm"))).toBe(false);
    expect(existsSync(join(out.outdir, "stacks", "monk-vm"))).toBe(false);
  });
});
