/**
 * The adoption file: its validation (every problem at once, with field, value and fix), the
 * import blocks synth emits from it, and the adopted-data-imported policy. Terraform's own
 * reading of those blocks is in __tests__/terraform/adopt-plan.test.ts.
 */
import { App, Testing } from "cdktf";
import { buildHomelab } from "../../app";
import { AdoptionError, validateAdoption } from "../../homelab/adoption";
import { servicesOn } from "../../homelab/derive";
import { checkPolicies } from "../../policies";
import { adoptedDataImported } from "../../policies/adopted-data-imported";
import { goodSpec } from "../fixtures/specs";
import { repoRoot } from "../helpers/synth";
import { fullAdoption } from "./fixtures";

const spec = goodSpec;
const build = (adoption = fullAdoption(spec)) => {
  const app: App = Testing.app();
  const stacks = buildHomelab(app, spec, { repoRoot, adoption: validateAdoption(adoption, spec) });
  for (const s of [stacks.edge, ...stacks.vms.values(), ...stacks.hosts.values()]) s.prepareStack();
  const json = (s: { toTerraform(): unknown }) => s.toTerraform() as Record<string, any>;
  return { app, stacks, json };
};
const importsOf = (json: Record<string, any>) => new Map(((json.import ?? []) as { to: string; id: string }[]).map((b) => [b.to, b.id]));

describe("validateAdoption", () => {
  test("accepts a full adoption derived from the description", () => {
    expect(() => validateAdoption(fullAdoption(spec), spec)).not.toThrow();
  });

  test("lists every problem at once, each with field, value and fix", () => {
    const bad = JSON.parse(JSON.stringify(fullAdoption(spec)));
    bad.version = 2;
    bad.cloudflare.tunnel.name = "old-tunnel";
    bad.cloudflare.dnsRecords["nope.kitestacks.com"] = "zz";
    bad.hetzner.kscloud1.server.location = "hil";
    bad.hosts.monk.services.kavita.cofnig = { volume: "monk_kavita" };
    bad.hosts.monk.services.forgejo = { data: { volume: "monk_forgejo" } };
    bad.hosts.monk.services.kavita.config = { volume: "x", bindPath: "/srv" };
    bad.hosts.kscloud1.services.grafana.data = { bindPath: "relative/dir" };
    bad.hosts.kscloud1.services.nosuch = {};
    bad.hosts.kscloud1.colour = "blue";
    bad.hosts[spec.sharedPostgres!.host].sharedPostgres = { volume: "authentik_database", superuser: "Bad Role" };
    let error: AdoptionError | undefined;
    try {
      validateAdoption(bad, spec);
    } catch (e) {
      error = e as AdoptionError;
    }
    expect(error).toBeInstanceOf(AdoptionError);
    const fields = error!.problems.map((p) => p.field);
    expect(fields).toEqual(
      expect.arrayContaining([
        "version",
        "cloudflare.tunnel.name",
        "cloudflare.dnsRecords[nope.kitestacks.com]",
        "hetzner[kscloud1].server.location",
        "hosts[monk].services[kavita].cofnig",
        "hosts[monk].services[forgejo]",
        "hosts[monk].services[kavita].config",
        "hosts[kscloud1].services[grafana].data.bindPath",
        "hosts[kscloud1].services[nosuch]",
        "hosts[kscloud1].colour",
        `hosts[${spec.sharedPostgres!.host}].sharedPostgres.superuser`,
      ]),
    );
    for (const p of error!.problems) expect(p.fix.length).toBeGreaterThan(5);
    // The message names value and fix of each, e.g. the server that would be replaced.
    expect(error!.message).toMatch(/hetzner\[kscloud1\]\.server\.location: "hil" differs .* Fix: set provisioning\.location: "hil"/);
    expect(error!.message).toMatch(/hosts\[monk\]\.services\[forgejo\]: "forgejo" is not placed on monk/);
  });
});

describe("synth with an adoption file", () => {
  const { stacks, json } = build();

  test("imports every docker volume of every host under its existing name, labels ignored", () => {
    for (const [hostName, stack] of stacks.hosts) {
      const j = json(stack);
      const imports = importsOf(j);
      const volumes = Object.entries(j.resource.docker_volume as Record<string, any>);
      expect(volumes.length).toBeGreaterThan(0);
      for (const [id, body] of volumes) {
        expect({ id, import: imports.get(`docker_volume.${id}`) }).toEqual({ id, import: body.name });
        expect(body.name.startsWith(`${hostName}_`)).toBe(true);
        expect(body.lifecycle).toEqual({ prevent_destroy: true, ignore_changes: ["labels"] });
      }
      expect(imports.get(`docker_network.network`)).toBe("0123456789ab");
    }
  });

  test("imports the tunnel, its configuration, every DNS record, the Access objects, the server", () => {
    const adoption = fullAdoption(spec);
    const edge = importsOf(json(stacks.edge));
    const ids = [...edge.values()];
    expect(ids.filter((id) => id.endsWith(`/${adoption.cloudflare!.tunnel!.id}`))).toHaveLength(2);
    for (const rid of Object.values(adoption.cloudflare!.dnsRecords!)) expect(ids).toContain(`\${var.cloudflare_zone_id}/${rid}`);
    for (const aid of Object.values(adoption.cloudflare!.accessApplications!)) expect(ids).toContain(`accounts/\${var.cloudflare_account_id}/${aid}`);
    expect(ids).toContain(`\${var.cloudflare_account_id}/${adoption.cloudflare!.accessPolicy}`);
    const vm = importsOf(json(stacks.vms.get("kscloud1")!));
    expect([...vm.values()].sort()).toEqual(["4000", "5000", "6000"]);
  });

  test("bind paths become local volumes bound to the directory, with no import", () => {
    const { stacks: s2, json: j2 } = build(fullAdoption(spec, (h, svc, key) => (svc === "kavita" && key === "library" ? { bindPath: "/srv/books" } : { volume: `${h}_${svc}-${key}` })));
    const monk = j2(s2.hosts.get("monk")!);
    const [id, body] = Object.entries(monk.resource.docker_volume as Record<string, any>).find(([, b]) => b.name === "kavita-library")!;
    expect(body.driver_opts).toEqual({ type: "none", o: "bind", device: "/srv/books" });
    expect(importsOf(monk).has(`docker_volume.${id}`)).toBe(false);
  });

  test("an adopted shared Postgres keeps its cluster's superuser: the server's env, healthcheck, provisioning and backups use it", () => {
    const pg = spec.sharedPostgres!;
    const base = fullAdoption(spec);
    const withSuperuser = { ...base, hosts: { ...base.hosts, [pg.host]: { ...base.hosts![pg.host], sharedPostgres: { volume: "authentik_database", superuser: "authentik" } } } };
    const roleOf = (adoption: unknown) => {
      const { stacks: s, json: j } = build(adoption as ReturnType<typeof fullAdoption>);
      const host = j(s.hosts.get(pg.host)!);
      const server = Object.values(host.resource.docker_container as Record<string, any>).find((c) => c.name === pg.containerName)!;
      const provision = Object.entries(host.resource.terraform_data as Record<string, any>).find(([id]) => id.includes("shared-postgres") && id.includes("provisioner"))![1];
      const backup = Object.values(host.resource.docker_container as Record<string, any>).find((c) => (c.upload ?? []).some((u: { file: string }) => u.file.endsWith("/config.env")));
      const config = (backup?.upload ?? []).find((u: { file: string }) => u.file.endsWith("/config.env"))?.content ?? "";
      return {
        env: (server.env as string[]).find((e) => e.startsWith("POSTGRES_USER=")),
        healthcheck: server.healthcheck.test.join(" "),
        pguser: provision.provisioner[0]["local-exec"].environment.PGUSER,
        backup: /KITE_PG_SUPERUSER='([^']*)'/.exec(config)?.[1] ?? "(lib.sh default: postgres)",
      };
    };
    expect(roleOf(withSuperuser)).toEqual({ env: "POSTGRES_USER=authentik", healthcheck: expect.stringContaining("pg_isready -U authentik "), pguser: "authentik", backup: "authentik" });
    expect(roleOf(base)).toEqual({ env: "POSTGRES_USER=postgres", healthcheck: expect.stringContaining("pg_isready -U postgres "), pguser: "postgres", backup: "(lib.sh default: postgres)" });
  });

  test("without an adoption file, synth emits no import block at all", () => {
    const app = Testing.app();
    const s = buildHomelab(app, spec, { repoRoot });
    for (const stack of [s.edge, ...s.vms.values(), ...s.hosts.values()]) expect((stack.toTerraform() as any).import).toBeUndefined();
  });
});

describe("policy adopted-data-imported", () => {
  test("passes the full adoption", () => {
    const { app } = build();
    expect(checkPolicies(app, spec, [adoptedDataImported]).errors).toEqual([]);
  });

  test("fails synth for a data volume the adoption file says nothing about, naming the field", () => {
    const adoption = JSON.parse(JSON.stringify(fullAdoption(spec)));
    delete adoption.hosts.kscloud1.services.grafana;
    delete adoption.hosts.kscloud1.sharedPostgres;
    let thrown: Error | undefined;
    try {
      build(adoption);
    } catch (e) {
      thrown = e as Error;
    }
    expect(thrown?.message).toMatch(/adopted-data-imported/);
    expect(thrown?.message).toMatch(/grafana-data.*would be created empty on adopted host kscloud1.*hosts\[kscloud1\]\.services\[grafana\]\.data/);
    expect(thrown?.message).toMatch(/hosts\[kscloud1\]\.sharedPostgres/);
  });

  test("fails for an adopted volume that is not imported, or would be replaced", () => {
    const { app, stacks } = build();
    const monk = stacks.hosts.get("monk")!;
    const kavita = servicesOn(spec, "monk").find((s) => s.name === "kavita")!;
    const hosted = monk.services.get(kavita.name)!;
    const [first, second] = [...hosted.volumes.values()];
    // A code change that drops the import, and one that drops the ignored labels.
    (first as any)._imported = undefined;
    second.addOverride("lifecycle.ignore_changes", undefined);
    const errors = checkPolicies(app, spec, [adoptedDataImported]).errors;
    expect(errors.map((e) => e.problem)).toEqual([
      expect.stringMatching(/has no import block/),
      expect.stringMatching(/does not ignore labels/),
    ]);
  });

  test("fails for an adopted server that would be replaced", () => {
    const { app, stacks } = build();
    stacks.vms.get("kscloud1")!.vm.server.addOverride("location", "fsn1");
    const errors = checkPolicies(app, spec, [adoptedDataImported]).errors;
    expect(errors).toHaveLength(1);
    expect(errors[0].problem).toMatch(/location forces a replacement.*destroy it and every volume on it/);
  });
});
