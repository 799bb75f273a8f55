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
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { OWNER_IMAGE, OWNER_PROJECT } from "../adopt/owner-homelab";
import { AdoptHarness, ResourceChange, STACK, startAdoptHarness } from "./adopt-harness";

let h: AdoptHarness;
let stackDir: string;
let volumeAddresses: string[];
const started = Date.now();

beforeAll(async () => {
  h = await startAdoptHarness("tfadopt");
  stackDir = h.prepare("adopted", h.adoption);
  volumeAddresses = Object.keys(JSON.parse(readFileSync(join(stackDir, "cdk.tf.json"), "utf8")).resource.docker_volume).map((id) => `docker_volume.${id}`);
}, 10 * 60_000);

afterAll(async () => {
  await h?.stop();
  process.stdout.write(`adopt plan test: ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
});

describe(`terraform plan of ${STACK} adopting the owner's compose project`, () => {
  let changes: ResourceChange[];

  test("imports every existing volume and the network; no volume is destroyed, replaced or created over data", () => {
    const p = h.plan(stackDir);
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
    expect(binds.map((b) => b.change.after!.driver_opts.device).sort()).toEqual([`${h.owner.dir}/books`, `${h.owner.dir}/certs`, `${h.owner.dir}/custom-templates`, `${h.owner.dir}/media`]);
    // Only the replica-safe probe volume is new and empty, on purpose.
    expect(volumes.filter((v) => !v.change.importing && !v.change.after?.driver_opts).map((v) => v.change.after?.name)).toEqual(["metrics-disk-probe"]);
    const network = changes.find((c) => c.type === "docker_network")!;
    expect(network.change.importing?.id).toBe(h.adoption.hosts!.monk.network);
    expect(network.change.actions).not.toContain("delete");
    // Nothing in the whole plan is destroyed (containers are new: the old ones are compose's).
    expect(changes.filter((c) => c.change.actions.includes("delete")).map((c) => c.address)).toEqual([]);
  });

  test("applying the volumes keeps every byte the old homelab wrote, and a second plan of them is empty", () => {
    const targets = volumeAddresses.flatMap((a) => ["-target", a]);
    const apply = h.terraform(stackDir, ["apply", "-input=false", "-no-color", "-auto-approve", ...targets]);
    expect({ status: apply.status, err: apply.status === 0 ? "" : apply.stderr + apply.stdout }).toEqual({ status: 0, err: "" });
    expect(apply.stdout).toMatch(/Apply complete! Resources: 2 imported, 5 added, 0 changed, 0 destroyed/);
    // Read each marker through the volume Terraform now manages (its Docker name in state).
    const state = JSON.parse(h.terraform(stackDir, ["show", "-json"]).stdout);
    const names: string[] = state.values.root_module.resources.filter((r: any) => r.type === "docker_volume").map((r: any) => r.values.name);
    const seen: string[] = [];
    for (const name of names) {
      const ls = h.owner.docker(["run", "--rm", "--network", "none", "-v", `${name}:/v:ro`, OWNER_IMAGE, "sh", "-c", "cat /v/kite-marker-* 2>/dev/null || true"]);
      expect(ls.status).toBe(0);
      seen.push(...ls.stdout.split("\n").filter(Boolean));
    }
    const monkMarkers = h.owner.markers.filter((m) => m.container !== "forgejo").map((m) => m.content);
    expect(seen.sort()).toEqual(expect.arrayContaining(monkMarkers.sort()));
    const again = h.terraform(stackDir, ["plan", "-input=false", "-no-color", "-detailed-exitcode", ...targets]);
    expect({ status: again.status, out: again.status === 0 ? "" : again.stdout }).toEqual({ status: 0, out: "" });
  });

  test("control: without the adoption file, the plan would create new, empty volumes under other names", () => {
    const sd = h.prepare("fresh", undefined);
    const p = h.plan(sd);
    expect(p.status).toBe(0);
    const created = p.changes.filter((c) => c.type === "docker_volume" && c.change.actions.includes("create")).map((c) => c.change.after?.name);
    expect(created).toEqual(expect.arrayContaining(["kavita-config", "open-webui-data", "authentik-data"]));
    expect(p.changes.some((c) => c.change.importing)).toBe(false);
  });

  test("control: without the ignored labels, the import would replace the volume, and prevent_destroy stops the plan", () => {
    const sd = h.prepare("labels", h.adoption);
    const file = join(sd, "cdk.tf.json");
    const json = JSON.parse(readFileSync(file, "utf8"));
    for (const body of Object.values(json.resource.docker_volume) as any[]) if (body.lifecycle?.ignore_changes) delete body.lifecycle.ignore_changes;
    writeFileSync(file, JSON.stringify(json));
    const p = h.plan(sd);
    expect(p.status).not.toBe(0);
    expect(p.text).toMatch(/Instance cannot be destroyed/);
  });
});
