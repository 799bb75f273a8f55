/**
 * Properties of the synthesized host stacks that the placement model promises, for every
 * service of the real homelab: where each runs, who forwards, what the home publishes, which
 * volumes are kept when a service moves, and the Portainer server/agent split.
 */
import { stackNames } from "../../app";
import { LABELS } from "../../constructs/kite-service";
import { FORWARDER_CONFIG_PATH } from "../../constructs/service-forwarder";
import { containerBudgetMb, hostMemoryMb, isAlwaysOn } from "../../homelab/capacity";
import { connectorHosts, findService, isPublic } from "../../homelab/derive";
import { kitestacks } from "../../homelab/homelab";
import {
  agentHostsOf,
  forwardedServicesOn,
  forwardersOf,
  homeHost,
  homeProbes,
  hostsRunning,
  isHomed,
  placementOf,
} from "../../homelab/placement";
import { resourcesOf, synthHomelab, TerraformJson } from "../helpers/synth";
import { containerNamed, envOf } from "../workloads/cross-stack";

const spec = kitestacks;
const lab = synthHomelab(spec);
const stackOf = (host: string) => lab.json(lab.stacks.hosts.get(host)!);
const labelsOf = (c: Record<string, any>) => Object.fromEntries((c.labels ?? []).map((l: any) => [l.label, l.value]));
const containersOf = (json: TerraformJson) => Object.entries(resourcesOf(json, "docker_container"));
const tailscaleVar = (host: string) => `\${var.tailscale_ip_${host}}`;

describe("the owner's placement", () => {
  test("every service says where it runs and why", () => {
    for (const s of spec.services) expect({ service: s.name, reason: s.placement.reason.trim().length > 20 }).toEqual({ service: s.name, reason: true });
  });

  test("Forgejo, BookStack, OSTicket, Grafana, Karakeep and Portainer live on the always-on kscloud1; Kavita and Open WebUI on monk; the rest everywhere", () => {
    const homes = Object.fromEntries(spec.services.map((s) => [s.name, homeHost(spec, s)?.name ?? "replicated"]));
    expect(homes).toEqual({
      portal: "replicated",
      metrics: "replicated",
      authentik: "replicated",
      forgejo: "kscloud1",
      bookstack: "kscloud1",
      osticket: "kscloud1",
      grafana: "kscloud1",
      kavita: "monk",
      karakeep: "kscloud1",
      "open-webui": "monk",
      portainer: "kscloud1",
    });
    expect(isAlwaysOn(homeHost(spec, "forgejo")!)).toBe(true);
    expect(isAlwaysOn(homeHost(spec, "kavita")!)).toBe(false);
    // Forgejo sits next to the shared Postgres its database is on.
    expect(homeHost(spec, "forgejo")!.name).toBe(spec.sharedPostgres!.host);
  });

  test("Forgejo keeps sessions in its database, not in memory", () => {
    expect(envOf(containerNamed(stackOf("kscloud1"), "forgejo")).FORGEJO__session__PROVIDER).toBe("db");
  });
});

describe.each(spec.hosts.map((h) => h.name))("host %s", (host) => {
  const json = stackOf(host);
  const containers = containersOf(json);

  test("runs each service placed on it, forwarders for the homed public services of other hosts, and nothing else of theirs", () => {
    for (const s of spec.services) {
      const mine = containers.filter(([, c]) => labelsOf(c)[LABELS.service] === s.name);
      const roles = mine.map(([, c]) => labelsOf(c)[LABELS.role]).sort();
      if (hostsRunning(spec, s).includes(host)) {
        expect({ service: s.name, app: roles.includes("app") }).toEqual({ service: s.name, app: true });
        expect(roles).not.toContain("forwarder");
      } else if (forwardedServicesOn(spec, host).includes(s)) {
        expect({ service: s.name, roles }).toEqual({ service: s.name, roles: agentHostsOf(spec, s).includes(host) ? ["agent", "forwarder"] : ["forwarder"] });
      } else {
        expect({ service: s.name, roles }).toEqual({ service: s.name, roles: agentHostsOf(spec, s).includes(host) ? ["agent"] : [] });
      }
    }
  });

  test("each forwarder has the service's container name and port, on the kitestacks network, and proxies to the home's tailnet port", () => {
    for (const s of forwardedServicesOn(spec, host)) {
      const placement = s.placement as { home: string; tailnetPort: number };
      const [, fw] = containers.find(([, c]) => c.name === s.name)!;
      const l = labelsOf(fw);
      expect([l[LABELS.role], l[LABELS.port], l[LABELS.home]]).toEqual(["forwarder", String(s.port), placement.home]);
      expect(fw.networks_advanced[0].name).toBe("${docker_network.network.name}");
      expect(fw.ports ?? []).toEqual([]);
      expect(fw.image).toMatch(/nginx/);
      const conf = fw.upload.find((u: any) => u.file === FORWARDER_CONFIG_PATH).content as string;
      expect(conf).toContain(`server ${tailscaleVar(placement.home)}:${placement.tailnetPort} max_fails=0;`);
      expect(conf).toContain(`listen ${s.port};`);
      expect(conf).toContain(`<h1>${s.title} is on ${placement.home}, which is not answering</h1>`);
    }
  });

  test("each service homed here publishes its tailnet port on this host's Tailscale address only", () => {
    for (const s of spec.services.filter((x) => isHomed(x) && x.placement.home === host)) {
      const placement = s.placement as { tailnetPort: number };
      const [, app] = containers.find(([, c]) => c.name === s.name)!;
      expect(app.ports).toEqual(expect.arrayContaining([expect.objectContaining({ internal: s.port, external: placement.tailnetPort, ip: tailscaleVar(host) })]));
      expect(labelsOf(app)[LABELS.placement]).toBe("homed");
    }
  });

  test("the volumes of services homed elsewhere are released, never destroyed: the same addresses their home uses", () => {
    const removed = ((json as any).removed ?? []) as { from: string; lifecycle: { destroy: boolean } }[];
    for (const r of removed) expect(r.lifecycle).toEqual({ destroy: false });
    const expected = spec.services
      .filter((s) => isHomed(s) && s.placement.home !== host)
      .flatMap((s) => {
        // On the home, the same construct path gives the same logical id.
        const home = stackOf((s.placement as { home: string }).home);
        return Object.entries(resourcesOf(home, "docker_volume"))
          .filter(([, v]) => labelsOf(v)[LABELS.service] === s.name)
          .map(([id]) => `docker_volume.${id}`);
      })
      .sort();
    expect(removed.map((r) => r.from).sort()).toEqual(expected);
    // No volume of a service homed elsewhere is still declared here.
    for (const [, v] of Object.entries(resourcesOf(json, "docker_volume"))) {
      const name = labelsOf(v)[LABELS.service];
      if (!name || !spec.services.some((s) => s.name === name)) continue; // the shared Postgres's own volume
      const svc = findService(spec, name);
      expect({ volume: v.name, here: hostsRunning(spec, svc).includes(host) }).toEqual({ volume: v.name, here: true });
    }
  });

  test("a forwarder takes over the address its service's container had here, so Terraform replaces it in place", () => {
    // Containers only: post-start steps carry moved blocks of their own (null_resource -> terraform_data).
    const moved = (((json as any).moved ?? []) as { from: string; to: string }[]).filter((m) => m.from.startsWith("docker_container."));
    const expected = forwardedServicesOn(spec, host).map((s) => {
      const home = stackOf((s.placement as { home: string }).home);
      const [fromId] = containersOf(home).find(([, c]) => c.name === s.name)!;
      const [toId] = containers.find(([, c]) => c.name === s.name)!;
      return { from: `docker_container.${fromId}`, to: `docker_container.${toId}` };
    });
    expect(moved.sort((a, b) => a.from.localeCompare(b.from))).toEqual(expected.sort((a, b) => a.from.localeCompare(b.from)));
  });

  test("the long-running containers' memory limits fit the host", () => {
    const total = containers.filter(([, c]) => labelsOf(c)[LABELS.role] !== "job").reduce((sum, [, c]) => sum + c.memory, 0);
    const h = spec.hosts.find((x) => x.name === host)!;
    expect(hostMemoryMb(h)).toBeDefined();
    expect(total).toBeLessThanOrEqual(containerBudgetMb(h)!);
  });

  test("the metrics API probes every homed service's tailnet port on its home", () => {
    const probes = JSON.parse(envOf(containerNamed(json, "metrics")).HOME_PROBES);
    expect(probes).toEqual(
      homeProbes(spec).map((p) => ({ service: p.service, title: p.title, home: p.home, url: `http://${tailscaleVar(p.home)}:${p.port}/` })),
    );
  });
});

describe("Portainer: one server, an agent on every other host", () => {
  const home = homeHost(spec, "portainer")!.name;
  const agents = agentHostsOf(spec, "portainer");

  test("the agents run on every host but the home, published on their own Tailscale address, sharing the server's agent secret", () => {
    expect(agents).toEqual(spec.hosts.map((h) => h.name).filter((h) => h !== home));
    const serverSecret = envOf(containerNamed(stackOf(home), "portainer")).AGENT_SECRET;
    expect(serverSecret).toMatch(/^\$\{random_password\./);
    for (const host of agents) {
      const agent = containerNamed(stackOf(host), "portainer-agent");
      expect(agent.ports).toEqual([expect.objectContaining({ internal: 9001, external: 9001, ip: tailscaleVar(host) })]);
      // The same generated secret, read across stacks.
      expect(envOf(agent).AGENT_SECRET).toMatch(/^\$\{sensitive\(data\.terraform_remote_state\.cross-stack-reference-input-kscloud1-docker\.outputs\./);
    }
  });

  test("the server registers each agent host as an environment, by its Tailscale address", () => {
    const steps = Object.values(resourcesOf(stackOf(home), "terraform_data")).filter((r) =>
      String(r.provisioner[0]["local-exec"].environment.KITE_STEP_SCRIPT).includes("api/endpoints"),
    );
    expect(steps).toHaveLength(1);
    const env = steps[0].provisioner[0]["local-exec"].environment;
    expect(env.AGENT_HOSTS).toBe(agents.join(" "));
    for (const h of agents) expect(env[`AGENT_ADDRESS_${h.replace(/-/g, "_")}`]).toBe(tailscaleVar(h));
  });

  test("it stays homelab-admin only, behind Cloudflare Access", () => {
    const p = findService(spec, "portainer");
    expect(p.sso.mode === "oidc" && p.sso.restrictToGroup).toBe(spec.adminGroup);
    expect(p.adminSurface).toBe(true);
  });
});

describe("derive functions the end-to-end test reads", () => {
  test("placementOf, forwardersOf and forwardedServicesOn agree with each other", () => {
    for (const s of spec.services.filter(isPublic)) {
      const p = placementOf(spec, s.name);
      const fw = forwardersOf(spec, s);
      if (p.mode === "replicated") expect(fw).toEqual([]);
      else expect(fw).toEqual(connectorHosts(spec).map((h) => h.name).filter((h) => h !== p.home));
      for (const h of fw) expect(forwardedServicesOn(spec, h)).toContain(s);
    }
    expect(stackNames.host("monk")).toBe("monk-docker");
  });
});
