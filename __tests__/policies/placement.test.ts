import { TerraformResource } from "cdktf";
import { stackNames } from "../../app";
import { LABELS } from "../../constructs/kite-service";
import { internalUrl, publicHostnames } from "../../homelab/derive";
import { isHomed } from "../../homelab/placement";
import { HostSpec } from "../../homelab/types";
import { POLICIES } from "../../policies";
import { PolicyViolationError } from "../../policies/runner";
import { goodSpec, withHost } from "../fixtures/specs";
import { check, findingsOf, freshHomelab, rawContainer } from "./helpers";

const labels = (map: Record<string, string>) => Object.entries(map).map(([label, value]) => ({ label, value }));

describe("replicated-no-per-host-state", () => {
  test("fails a replicated service that runs a database or mounts an unmarked volume on a host", () => {
    const lab = freshHomelab();
    const monk = lab.stacks.hosts.get("monk")!;
    rawContainer(monk, "portal-db", {
      name: "portal-db",
      labels: labels({ [LABELS.service]: "portal", [LABELS.host]: "monk", [LABELS.role]: "database", [LABELS.placement]: "replicated" }),
      memory: 64,
    });
    rawContainer(monk, "portal-cache", {
      name: "portal-cache",
      labels: labels({ [LABELS.service]: "portal", [LABELS.host]: "monk", [LABELS.role]: "app", [LABELS.placement]: "replicated" }),
      volumes: [{ volumeName: "portal-sessions", containerPath: "/var/lib/sessions" }],
      memory: 64,
    });
    const found = findingsOf(check(lab), "replicated-no-per-host-state");
    expect(found.map((f) => f.problem).sort()).toEqual([
      "portal is replicated but portal-cache on monk mounts portal-sessions at /var/lib/sessions, a per-host volume with no replica-safe reason",
      "portal is replicated but runs its own database portal-db on monk, so each host answers from different data",
    ]);
    expect(found[0].fix).toMatch(/^home portal on one host \(placement: \{ mode: "homed", home, reason, tailnetPort \} in homelab\/services\/portal\/portal\.ts\)/);
    expect(found.every((f) => f.stack === stackNames.host("monk"))).toBe(true);
  });

  test("passes the real spec: Authentik's volumes are all marked replica-safe, nothing else replicated has one", () => {
    expect(findingsOf(check(freshHomelab()), "replicated-no-per-host-state")).toEqual([]);
  });
});

describe("replicated-identical-secrets", () => {
  test("fails when one host's copy of a replicated service signs with another secret, or lacks a session setting", () => {
    const lab = freshHomelab();
    const monk = lab.stacks.hosts.get("monk")!;
    const authentik = monk.services.get("authentik")!.main.container;
    const env = authentik.envInput ?? [];
    authentik.addOverride("env", [
      ...env.filter((e) => !e.startsWith("AUTHENTIK_SECRET_KEY=")),
      "AUTHENTIK_SECRET_KEY=${var.monk_only_key}",
      "AUTHENTIK_SESSION_STORAGE=cache",
    ]);
    const found = findingsOf(check(lab), "replicated-identical-secrets");
    expect(found.map((f) => f.problem)).toEqual([
      "authentik is replicated but AUTHENTIK_SECRET_KEY differs between kscloud1 and monk (container authentik), so a session made on one host is not valid on the other",
      "authentik is replicated but AUTHENTIK_SESSION_STORAGE is set on monk only (container authentik), so the copies sign or store sessions differently",
    ]);
    expect(found[0].stack).toBe(stackNames.host("monk"));
    expect(found[0].fix).toMatch(/give every host the same value .* or home authentik on one host/);
  });

  test("passes the real spec: cross-stack secrets and person-supplied variables compare as the same value", () => {
    expect(findingsOf(check(freshHomelab()), "replicated-identical-secrets")).toEqual([]);
  });
});

describe("ingress-on-every-connector, with homed services", () => {
  test("fails a route whose port is not the one its target (app or forwarder) serves", () => {
    const lab = freshHomelab();
    const config = lab.app.node
      .findAll()
      .find((c): c is TerraformResource => c instanceof TerraformResource && c.terraformResourceType === "cloudflare_zero_trust_tunnel_cloudflared_config")!;
    const forgejo = goodSpec.services.find((s) => s.name === "forgejo")!;
    const routes = publicHostnames(goodSpec).map(({ hostname, service }) => ({
      hostname,
      service: service.name === "forgejo" ? `http://forgejo:${forgejo.port + 1}` : internalUrl(service),
    }));
    config.addOverride("config.ingress", [...routes, { service: "http_status:404" }]);
    const found = findingsOf(check(lab), "ingress-on-every-connector");
    expect(found.map((f) => f.problem).sort()).toEqual(
      ["kscloud1", "monk"].map((h) => `${forgejo.hostnames![0]} routes to forgejo:${forgejo.port + 1}, but forgejo on connector stack ${stackNames.host(h)} serves port ${forgejo.port}`).sort(),
    );
  });

  test("every homed hostname resolves on every connector: the app on its home, a forwarder elsewhere", () => {
    const lab = freshHomelab();
    expect(findingsOf(check(lab), "ingress-on-every-connector")).toEqual([]);
    expect(goodSpec.services.filter(isHomed).length).toBeGreaterThan(0);
  });
});

describe("host-memory-fits", () => {
  test("fails kscloud1 on a cx23, listing every long-running container with its limit, before anything is written", () => {
    const kscloud1 = goodSpec.hosts.find((h) => h.name === "kscloud1")!;
    const small = withHost(goodSpec, "kscloud1", { provisioning: { ...kscloud1.provisioning, serverType: "cx23" } as HostSpec["provisioning"] });
    let error: unknown;
    try {
      freshHomelab(small);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PolicyViolationError);
    const findings = (error as PolicyViolationError).report.errors.filter((f) => f.rule === "host-memory-fits");
    expect(findings).toHaveLength(1);
    const [finding] = findings;
    expect(finding.stack).toBe(stackNames.host("kscloud1"));
    expect(finding.problem).toMatch(
      /^the long-running containers on kscloud1 have memory limits adding up to \d+ MB, over the 3072 MB its 4096 MB of RAM leaves after the 1024 MB OS reserve: authentik 1024 MB, authentik-postgres 1024 MB, authentik-worker 768 MB, /,
    );
    // Every long-running container of the real kscloud1 stack is named, with its limit.
    const real = freshHomelab();
    const json = real.stacks.hosts.get("kscloud1")!.toTerraform() as { resource: Record<string, Record<string, any>> };
    const containers = Object.values(json.resource.docker_container).filter((c) => !c.labels.some((l: any) => l.label === LABELS.role && l.value === "job"));
    expect(containers.length).toBeGreaterThan(10);
    const total = containers.reduce((sum, c) => sum + c.memory, 0);
    expect(finding.value).toBe(`${total} MB`);
    for (const c of containers) expect(finding.problem).toContain(`${c.name} ${c.memory} MB`);
    expect(finding.fix).toMatch(/pick a server type with more RAM for kscloud1 \(provisioning\.serverType in homelab\/hosts\.ts/);
  });

  test("fails an existing machine whose limits exceed its declared RAM, with a fix that fits it", () => {
    let error: unknown;
    try {
      freshHomelab(withHost(goodSpec, "monk", { memoryMb: 4096, osReserveMb: 512 }));
    } catch (e) {
      error = e;
    }
    const finding = (error as PolicyViolationError).report.errors.find((f) => f.rule === "host-memory-fits")!;
    expect(finding.problem).toMatch(/^the long-running containers on monk have memory limits adding up to \d+ MB, over the 3584 MB its 4096 MB of RAM leaves after the 512 MB OS reserve: open-webui 1536 MB/);
    expect(finding.fix).toMatch(/correct monk's memoryMb in homelab\/hosts\.ts/);
  });

  test("passes the real spec, and the rule is in the gate", () => {
    expect(findingsOf(check(freshHomelab()), "host-memory-fits")).toEqual([]);
    expect(POLICIES.map((p) => p.id)).toEqual(expect.arrayContaining(["host-memory-fits", "replicated-no-per-host-state", "replicated-identical-secrets"]));
  });
});

describe("replicated-identical-secrets, secrets as files", () => {
  test("fails when one host's copy gets another secret file content", () => {
    const lab = freshHomelab();
    const monk = lab.stacks.hosts.get("monk")!;
    const authentik = monk.services.get("authentik")!.main.container;
    const uploads = (authentik.upload as unknown as { internalValue?: { file: string; content: string }[] }).internalValue ?? [];
    expect(uploads.length).toBeGreaterThan(0);
    const [first, ...rest] = uploads;
    authentik.addOverride("upload", [{ file: first.file, content: "${var.monk_only_secret}" }, ...rest.map((u) => ({ file: u.file, content: u.content }))]);
    const found = findingsOf(check(lab), "replicated-identical-secrets");
    expect(found.map((f) => f.problem)).toEqual([
      `authentik is replicated but file:${first.file} differs between kscloud1 and monk (container authentik), so a session made on one host is not valid on the other`,
    ]);
  });
});
