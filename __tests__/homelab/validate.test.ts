import { resolve } from "node:path";
import { kitestacks } from "../../homelab/homelab";
import { FirewallInboundRule, HomelabSpec, ServiceSpec } from "../../homelab/types";
import { findSpecProblems, imagePinProblem, NEVER_PUBLIC_PORTS, SpecValidationError, validateSpec } from "../../homelab/validate";
import {
  goodSpec,
  hostOf,
  serviceOf,
  withExtraHosts,
  withExtraServices,
  withHost,
  withService,
} from "../fixtures/specs";

const repoRoot = resolve(__dirname, "../..");
const problemsOf = (spec: HomelabSpec) => findSpecProblems(spec, repoRoot);
const SHA = "a".repeat(64);

/** One line per problem, as SpecValidationError prints them. */
function linesOf(spec: HomelabSpec): string[] {
  try {
    validateSpec(spec, repoRoot);
  } catch (error) {
    if (!(error instanceof SpecValidationError)) throw error;
    return error.message.split("\n").slice(1);
  }
  return [];
}

/**
 * The spec fails with exactly these problems: each pattern matches one line of the thrown
 * message (field, value and what is wrong), and nothing else is reported.
 */
function expectProblems(spec: HomelabSpec, ...patterns: RegExp[]): void {
  for (const pattern of patterns) expect(() => validateSpec(spec, repoRoot)).toThrow(pattern);
  const lines = linesOf(spec);
  expect(lines).toHaveLength(patterns.length);
  for (const pattern of patterns) expect(lines.filter((l) => pattern.test(l))).toHaveLength(1);
}

const grafana = serviceOf(kitestacks, "grafana");
const kscloud1 = hostOf(kitestacks, "kscloud1");

/** kscloud1 with these inbound firewall rules. */
function withFirewall(...rules: FirewallInboundRule[]): HomelabSpec {
  if (kscloud1.provisioning.kind !== "hcloud") throw new Error("fixture: kscloud1 is not an hcloud host");
  return withHost(goodSpec, "kscloud1", { provisioning: { ...kscloud1.provisioning, firewallInbound: rules } });
}

/** A copy of grafana under another name and hostname, so only the planted change is wrong. */
function grafanaCopy(patch: Partial<ServiceSpec>): ServiceSpec {
  // A homed copy needs a tailnet port of its own.
  const placement = grafana.placement.mode === "homed" ? { ...grafana.placement, tailnetPort: 3901 } : grafana.placement;
  return { ...grafana, name: "grafana2", hostnames: [`grafana2.${kitestacks.domain}`], placement, ...patch } as ServiceSpec;
}

describe("the sound spec", () => {
  it("has no problems (so each fixture below fails only for what it plants)", () => {
    expect(problemsOf(goodSpec)).toEqual([]);
    expect(validateSpec(goodSpec, repoRoot)).toBe(goodSpec);
  });
});

describe("services", () => {
  it("fails on duplicate service names", () => {
    expectProblems(withExtraServices(goodSpec, grafanaCopy({ name: "grafana" })), /services\[grafana\]\.name: "grafana" is declared twice/);
  });

  it("fails on a name that is not a DNS label", () => {
    expectProblems(withExtraServices(goodSpec, grafanaCopy({ name: "Grafana_2" })), /services\[Grafana_2\]\.name: "Grafana_2" is not a lowercase DNS label/);
  });

  it("fails on duplicate hostnames, naming the first owner", () => {
    expectProblems(
      withService(goodSpec, "kavita", { hostnames: [`grafana.${kitestacks.domain}`] }),
      /services\[kavita\]\.hostnames: "grafana\.kitestacks\.com" is already used by service grafana/,
    );
  });

  it.each(["grafana.example.com", "grafanakitestacks.com", "kitestacks.com.evil.net"])(
    "fails on hostname %s outside the domain",
    (hostname) => {
      expectProblems(
        withService(goodSpec, "grafana", { hostnames: [hostname] }),
        new RegExp(`services\\[grafana\\]\\.hostnames: "${hostname.replace(/\./g, "\\.")}" is outside the zone kitestacks\\.com`),
      );
    },
  );

  it.each(["Grafana.kitestacks.com", "-grafana.kitestacks.com", "graf_ana.kitestacks.com", "a..kitestacks.com", `${"x".repeat(64)}.kitestacks.com`])(
    "fails on hostname %s that is not a valid DNS name",
    (hostname) => {
      expectProblems(
        withService(goodSpec, "grafana", { hostnames: [hostname] }),
        new RegExp(`services\\[grafana\\]\\.hostnames: "${hostname.replace(/\./g, "\\.")}" is not a valid DNS name`),
      );
    },
  );

  it.each([0, 70000, 1.5, -1])("fails on port %p", (port) => {
    expectProblems(
      withService(goodSpec, "grafana", { port }),
      new RegExp(`services\\[grafana\\]\\.port: ${String(port).replace(".", "\\.")} is outside 1-65535`),
    );
  });

  it("fails on a service homed on an unknown host, listing the declared ones", () => {
    expectProblems(
      withService(goodSpec, "grafana", { placement: { mode: "homed", home: "kscloud9", reason: "fixture", tailnetPort: 3001 } }),
      /services\[grafana\]\.placement\.home: "kscloud9" is not a declared host\. Fix: use one of: monk, kscloud1/,
    );
  });

  it.each(["replicated", "homed"] as const)("fails on a %s placement without a reason", (mode) => {
    const placement = mode === "homed" ? { mode, home: "monk", reason: "  ", tailnetPort: 3001 } : { mode, reason: "" };
    expectProblems(withService(goodSpec, "portal", { placement }), /services\[portal\]\.placement\.reason: .* is empty/);
  });

  it("fails on a missing placement", () => {
    expectProblems(withService(goodSpec, "portal", { placement: undefined }), /services\[portal\]\.placement: undefined is not a placement/);
  });

  it("fails on a replicated service that keeps per-host state, naming each piece and the fix", () => {
    const lines = linesOf(withService(goodSpec, "bookstack", { placement: { mode: "replicated", reason: "fixture" } }));
    const replicated = lines.filter((l) => l.includes("services[bookstack].placement"));
    expect(replicated).toEqual([
      expect.stringMatching(/"replicated" keeps per-host state \(its state is per-host\), so a user's next request on another connector host would not find it\. Fix: home it on one host/),
      expect.stringMatching(/keeps per-host state \(database bookstack is a MariaDB on each host\)/),
      expect.stringMatching(/keeps per-host state \(volume config \(\/config\) has no replicaSafe reason\)/),
    ]);
  });

  it("accepts a replicated service whose volumes all say why a copy per host is harmless", () => {
    const authentik = serviceOf(goodSpec, "authentik");
    expect(authentik.placement.mode).toBe("replicated");
    const bare = withService(goodSpec, "authentik", { volumes: [{ name: "data", mountPath: "/data" }] });
    expectProblems(bare, /services\[authentik\]\.placement: "replicated" keeps per-host state \(volume data \(\/data\) has no replicaSafe reason\)/);
    expect(problemsOf(goodSpec)).toEqual([]);
  });

  it("fails on a homed service whose tailnet port is taken on its home", () => {
    const forgejo = serviceOf(goodSpec, "forgejo");
    expect(forgejo.placement.mode).toBe("homed");
    const home = forgejo.placement.mode === "homed" ? forgejo.placement.home : "";
    expectProblems(
      withService(goodSpec, "grafana", { placement: { mode: "homed", home, reason: "fixture", tailnetPort: 3006 } }),
      new RegExp(`services\\[grafana\\]\\.placement\\.tailnetPort: 3006 is already published on ${home} by forgejo`),
    );
    expectProblems(
      withService(goodSpec, "grafana", { placement: { mode: "homed", home, reason: "fixture", tailnetPort: 0 } }),
      /services\[grafana\]\.placement\.tailnetPort: 0 is outside 1-65535/,
    );
  });

  it("fails on a public service with host namespaces", () => {
    expectProblems(withService(goodSpec, "grafana", { hostNamespaces: true }), /services\[grafana\]\.hostNamespaces: true cannot be combined with public hostnames/);
  });

  it("fails on tunnel origin settings cloudflared cannot take, listing each", () => {
    expectProblems(
      withService(goodSpec, "grafana", { origin: { connectTimeoutSeconds: 2.5, httpHostHeader: "not a host" } }),
      /services\[grafana\]\.origin\.connectTimeoutSeconds: 2\.5 is not a whole number of seconds/,
      /services\[grafana\]\.origin\.httpHostHeader: "not a host" is not a host name/,
    );
  });

  it("accepts whole-second timeouts and host headers with a port", () => {
    expect(problemsOf(withService(goodSpec, "grafana", { origin: { connectTimeoutSeconds: 45, httpHostHeader: "grafana.internal:3000", http2Origin: true } }))).toEqual([]);
  });

  it("fails on origin settings for a service the tunnel never reaches", () => {
    expectProblems(withService(goodSpec, "metrics", { origin: { http2Origin: true } }), /services\[metrics\]\.origin: .* is set on a service with no hostnames/);
  });
});

describe("images", () => {
  it.each([
    ["grafana/grafana:latest", "uses the floating tag latest"],
    ["grafana/grafana", "has no tag"],
    // The colon of the registry's port is not a tag.
    ["registry:5000/app", "has no tag"],
    ["registry.local:5000/team/app:latest", "uses the floating tag latest"],
    ["grafana/grafana:1.0!", "has an invalid tag"],
    ["grafana/grafana@sha256:abc", "has a malformed digest"],
  ])("fails on unpinned image %s", (ref, problem) => {
    expectProblems(
      withService(goodSpec, "grafana", { image: { ref } }),
      new RegExp(`services\\[grafana\\]\\.image\\.ref: "${ref.replace(/[.*+?^${}()|[\]\\/!]/g, "\\$&")}" ${problem}`),
    );
  });

  it.each([
    "grafana/grafana:12.3.0",
    "registry:5000/app:1.2.3",
    `grafana/grafana@sha256:${SHA}`,
    `grafana/grafana:12.3.0@sha256:${SHA}`,
    `registry:5000/app@sha256:${SHA}`,
  ])("accepts pinned image %s", (ref) => {
    expect(imagePinProblem(ref)).toBeUndefined();
    expect(problemsOf(withService(goodSpec, "grafana", { image: { ref } }))).toEqual([]);
  });

  it("fails on an unpinned cloudflared, MariaDB or Postgres image", () => {
    expectProblems(
      {
        ...goodSpec,
        cloudflaredImage: "cloudflare/cloudflared:latest",
        mariadbImage: "registry:5000/mariadb",
        sharedPostgres: { ...goodSpec.sharedPostgres!, image: "postgres" },
      },
      /cloudflaredImage: "cloudflare\/cloudflared:latest" uses the floating tag latest/,
      /mariadbImage: "registry:5000\/mariadb" has no tag/,
      /sharedPostgres\.image: "postgres" has no tag/,
    );
  });

  it("fails on a build folder without a Dockerfile", () => {
    expectProblems(
      withService(goodSpec, "portal", { image: { build: "__tests__/fixtures" } }),
      /services\[portal\]\.image\.build: "__tests__\/fixtures" has no Dockerfile/,
    );
  });
});

describe("state, databases and SSO", () => {
  it("fails on OIDC apps when no service is the identity provider, once per app", () => {
    const spec = withService(goodSpec, "authentik", { sso: { mode: "none" } });
    const oidcApps = spec.services.filter((s) => s.sso.mode === "oidc").map((s) => s.name);
    expect(oidcApps.length).toBeGreaterThan(1);
    expectProblems(
      spec,
      ...oidcApps.map((name) => new RegExp(`services\\[${name}\\]\\.sso\\.mode: "oidc" needs Authentik, but no service has sso\\.mode identity-provider`)),
    );
  });

  it("fails on two identity providers", () => {
    expectProblems(
      withService(goodSpec, "grafana", { sso: { mode: "identity-provider" } }),
      /services: \["authentik","grafana"\] declares more than one identity provider/,
    );
  });

  it("fails on shared-postgres databases without sharedPostgres", () => {
    const { sharedPostgres: _omitted, ...withoutPg } = goodSpec;
    const users = goodSpec.services.filter((s) => (s.databases ?? []).some((d) => d.engine === "shared-postgres")).map((s) => s.name);
    expect(users).toEqual(expect.arrayContaining(["authentik", "forgejo"]));
    expectProblems(
      withoutPg,
      ...users.map((name) => new RegExp(`services\\[${name}\\]\\.databases\\[0\\]\\.engine: "shared-postgres" needs the shared Postgres, but spec\\.sharedPostgres is not set`)),
    );
  });

  it("fails on shared state without a shared-postgres database", () => {
    expectProblems(withService(goodSpec, "kavita", { state: "shared" }), /services\[kavita\]\.state: "shared" is shared but the service has no shared-postgres database/);
  });

  it.each([undefined, "   "])("fails on a per-host service with stateNote %p", (stateNote) => {
    expectProblems(withService(goodSpec, "grafana", { stateNote }), /services\[grafana\]\.stateNote: .* is missing for a per-host service/);
  });

  it("fails on bad database names, roles and duplicates", () => {
    expectProblems(
      withService(goodSpec, "bookstack", {
        databases: [
          { engine: "mariadb", name: "Book-Stack", user: "bookstack" },
          { engine: "mariadb", name: "wiki", user: "1user" },
          { engine: "mariadb", name: "wiki", user: "wiki" },
        ],
      }),
      /services\[bookstack\]\.databases\[0\]\.name: "Book-Stack" is not a valid database name/,
      /services\[bookstack\]\.databases\[1\]\.user: "1user" is not a valid role name/,
      /services\[bookstack\]\.databases\[2\]\.name: "wiki" is declared twice/,
    );
  });

  it("fails on OIDC without a hostname, redirect paths or group", () => {
    expectProblems(
      withService(goodSpec, "grafana", { hostnames: [], sso: { mode: "oidc", redirectPaths: [] } }),
      /services\[grafana\]\.sso\.mode: "oidc" needs a public hostname for its redirect URIs/,
      /services\[grafana\]\.sso\.redirectPaths: \[\] is empty/,
    );
    expectProblems(
      withService(goodSpec, "grafana", { sso: { mode: "oidc", redirectPaths: ["login/generic_oauth"], restrictToGroup: " " } }),
      /services\[grafana\]\.sso\.redirectPaths: "login\/generic_oauth" does not start with \//,
      /services\[grafana\]\.sso\.restrictToGroup: " " is empty\. Fix: name an Authentik group such as homelab-admin/,
    );
  });
});

describe("volumes, ports, secrets, memory, healthcheck", () => {
  it("fails on bad volume names and relative mount paths, companions included", () => {
    const authentik = serviceOf(goodSpec, "authentik");
    expectProblems(
      withService(goodSpec, "authentik", {
        volumes: [{ name: "Data", mountPath: "/data", replicaSafe: "fixture" }],
        companions: [{ ...authentik.companions![0], volumes: [{ name: "certs", mountPath: "certs", replicaSafe: "fixture" }] }],
      }),
      /services\[authentik\]\.volumes: "Data" is not a valid volume name/,
      /services\[authentik\]\.volumes\[certs\]\.mountPath: "certs" is not an absolute path/,
    );
  });

  it("fails on relative bind mounts", () => {
    expectProblems(
      withService(goodSpec, "portainer", { bindMounts: [{ hostPath: "docker.sock", containerPath: "/var/run/docker.sock" }] }),
      /services\[portainer\]\.bindMounts: \{"hostPath":"docker\.sock","containerPath":"\/var\/run\/docker\.sock"\} uses a relative path/,
    );
  });

  it("fails on a host port another service already publishes, once per host", () => {
    expectProblems(
      withService(goodSpec, "grafana", { hostPorts: [{ containerPort: 3000, hostPort: 3006, bind: "tailscale", reason: "test" }] }),
      // Grafana and Forgejo share a home; Forgejo publishes 3006 there only.
      /services\[grafana\]\.hostPorts: 3006 is already published on kscloud1 by forgejo/,
    );
  });

  it("accepts the same host port on different hosts, and fails where they meet", () => {
    const port = { containerPort: 8000, hostPort: 3007, bind: "tailscale", reason: "fixture" } as const;
    const metrics = serviceOf(goodSpec, "metrics");
    const home = (h: string) => ({ mode: "homed", home: h, reason: "fixture", tailnetPort: 3999 }) as const;
    const onMonk = withService(goodSpec, "metrics", { placement: home("monk"), hostPorts: [port] });
    const copy = (placement: ServiceSpec["placement"]): ServiceSpec => ({ ...metrics, name: "metrics2", placement, hostPorts: [port] });
    expect(problemsOf(withExtraServices(onMonk, copy({ ...home("kscloud1"), tailnetPort: 3998 })))).toEqual([]);
    expectProblems(withExtraServices(onMonk, copy({ mode: "replicated", reason: "fixture" })), /services\[metrics2\]\.hostPorts: 3007 is already published on monk by metrics/);
  });

  it("fails on host ports out of range or without a reason", () => {
    expectProblems(
      withService(goodSpec, "grafana", { hostPorts: [{ containerPort: 0, hostPort: 70000, bind: "tailscale", reason: " " }] }),
      /services\[grafana\]\.hostPorts: 70000 is outside 1-65535/,
      /services\[grafana\]\.hostPorts: 0 is outside 1-65535/,
      /services\[grafana\]\.hostPorts: 70000 has no reason/,
    );
  });

  it("fails on bad secret names, duplicates and lengths", () => {
    expectProblems(
      withService(goodSpec, "grafana", {
        secrets: [
          { name: "Admin-Password", source: "generated" },
          { name: "admin_password", source: "generated", length: 8 },
          { name: "admin_password", source: "generated", length: 300 },
        ],
      }),
      /services\[grafana\]\.secrets: "Admin-Password" is not a valid secret name/,
      /services\[grafana\]\.secrets\[admin_password\]\.length: 8 is outside 16-256/,
      /services\[grafana\]\.secrets: "admin_password" is declared twice/,
      /services\[grafana\]\.secrets\[admin_password\]\.length: 300 is outside 16-256/,
    );
  });

  it("fails on variable secrets described differently by two services", () => {
    const osticket = serviceOf(goodSpec, "osticket");
    expectProblems(
      withService(goodSpec, "osticket", {
        secrets: (osticket.secrets ?? []).map((s) => (s.name === "smtp_host" ? { ...s, description: "Another SMTP host" } : s)),
      }),
      /services\[osticket\]\.secrets\[smtp_host\]\.description: "Another SMTP host" differs from the description given by authentik for the same variable/,
    );
  });

  it.each([0, 8, 100000, 1.5])("fails on memoryMb %p", (memoryMb) => {
    expectProblems(
      withService(goodSpec, "grafana", { memoryMb }),
      new RegExp(`services\\[grafana\\]\\.memoryMb: ${String(memoryMb).replace(".", "\\.")} is outside 16-65536`),
    );
  });

  it("fails on an empty healthcheck", () => {
    expectProblems(withService(goodSpec, "grafana", { healthcheck: { test: [] } }), /services\[grafana\]\.healthcheck\.test: \[\] is empty/);
  });
});

describe("hosts", () => {
  it("fails on an empty host list", () => {
    const services = goodSpec.services.map((s) => ({ ...s, hosts: "all" as const }));
    const problems = problemsOf({ ...goodSpec, hosts: [], services });
    expect(problems).toContainEqual(expect.objectContaining({ field: "hosts", problem: "is empty" }));
  });

  it("fails on bad and duplicate host names, SSH users and Tailscale names", () => {
    expectProblems(
      withExtraHosts(
        withHost(goodSpec, "monk", { sshUser: "Deploy User", tailscaleName: "monk..ts.net" }),
        { ...hostOf(goodSpec, "monk"), name: "Pi_4" },
        { ...hostOf(goodSpec, "monk"), name: "monk" },
      ),
      /hosts\[monk\]\.sshUser: "Deploy User" is not a valid Unix user name/,
      /hosts\[monk\]\.tailscaleName: "monk\.\.ts\.net" is not a valid DNS name/,
      /hosts\[Pi_4\]\.name: "Pi_4" is not a lowercase DNS label/,
      /hosts\[monk\]\.name: "monk" is declared twice/,
    );
  });

  it("fails on a domain that is not a zone name", () => {
    const problems = problemsOf({ ...goodSpec, domain: "localhost" });
    expect(problems).toContainEqual(expect.objectContaining({ field: "domain", value: "localhost" }));
  });

  it("fails on shared Postgres settings that point nowhere", () => {
    expectProblems(
      { ...goodSpec, sharedPostgres: { ...goodSpec.sharedPostgres!, host: "kscloud9", containerName: "Authentik_PG", port: 0, authentikLocalFallbackOn: ["monk", "nas"] } },
      /sharedPostgres\.host: "kscloud9" is not a declared host/,
      /sharedPostgres\.containerName: "Authentik_PG" is not a lowercase DNS label/,
      /sharedPostgres\.port: 0 is outside 1-65535/,
      /sharedPostgres\.authentikLocalFallbackOn: "nas" is not a declared host/,
    );
  });
});

describe("firewall rules", () => {
  const world = ["0.0.0.0/0", "::/0"];
  const rule = (port: string | undefined, sourceCidrs: string[], protocol: FirewallInboundRule["protocol"] = "tcp"): FirewallInboundRule => ({
    protocol,
    port,
    sourceCidrs,
    reason: "fixture",
  });

  describe.each(world)("to %s", (cidr) => {
    it.each(NEVER_PUBLIC_PORTS.map((p) => [p]))("fails on port %p", (port) => {
      expectProblems(
        withFirewall(rule(String(port), [cidr])),
        new RegExp(`hosts\\[kscloud1\\]\\.provisioning\\.firewallInbound\\[0\\]: \\{"port":"${port}","sourceCidrs":\\["${cidr.replace(/\./g, "\\.")}"\\]\\} opens port ${port} to the whole internet`),
      );
    });

    it.each([
      ["1-1024", "22"],
      ["2000-3000", "2375, 2376"],
      ["5000-7000", "5432, 6379"],
      [undefined, "22, 2375, 2376, 5432, 6379"],
    ])("fails on range %p that contains %s", (port, exposed) => {
      expectProblems(withFirewall(rule(port, ["100.64.0.0/10", cidr])), new RegExp(`firewallInbound\\[0\\]: .* opens port ${exposed} to the whole internet`));
    });

    it("accepts web and Tailscale ports", () => {
      expect(problemsOf(withFirewall(rule("443", [cidr]), rule("80-85", [cidr]), rule("41641", [cidr], "udp")))).toEqual([]);
    });
  });

  it("accepts the never-public ports from a narrow CIDR", () => {
    const rules = NEVER_PUBLIC_PORTS.map((p) => rule(String(p), ["100.64.0.0/10", "2001:db8::/32"]));
    expect(problemsOf(withFirewall(...rules, rule("1-65535", ["192.0.2.0/24"])))).toEqual([]);
  });

  it("fails on bad ports, empty reasons and empty sources", () => {
    expectProblems(
      withFirewall({ protocol: "tcp", port: "70000", sourceCidrs: ["192.0.2.0/24"], reason: "x" }, { protocol: "tcp", port: "30-20", sourceCidrs: [], reason: " " }),
      /firewallInbound\[0\]\.port: "70000" is not a port or range within 1-65535/,
      /firewallInbound\[1\]\.port: "30-20" is not a port or range within 1-65535/,
      /firewallInbound\[1\]\.reason: " " is empty/,
      /firewallInbound\[1\]\.sourceCidrs: \[\] is empty/,
    );
  });
});

describe("capacity inputs", () => {
  it("fails on an existing machine whose RAM is not declared", () => {
    expectProblems(withHost(goodSpec, "monk", { memoryMb: undefined }), /hosts\[monk\]\.memoryMb: undefined is missing, so the memory limits on this host cannot be checked\. Fix: declare the machine's RAM in MB/);
  });

  it("fails on a Hetzner server type whose RAM is unknown, listing the known ones", () => {
    const kscloud1 = goodSpec.hosts.find((h) => h.name === "kscloud1")!;
    const provisioning = { ...kscloud1.provisioning, serverType: "cx99" } as typeof kscloud1.provisioning;
    expectProblems(withHost(goodSpec, "kscloud1", { provisioning }), /hosts\[kscloud1\]\.provisioning\.serverType: "cx99" is not in the server type table, so its RAM is unknown\. Fix: use one of cx23, cx33/);
  });

  it("fails on an OS reserve that leaves nothing for containers", () => {
    expectProblems(withHost(goodSpec, "monk", { osReserveMb: 16384 }), /hosts\[monk\]\.osReserveMb: 16384 leaves no memory for containers/);
  });
});

describe("a spec with many problems", () => {
  const sshToTheWorld = withFirewall({ protocol: "tcp", port: "22", sourceCidrs: ["0.0.0.0/0"], reason: "ssh" });
  const spec = withService(
    withService(withService({ ...sshToTheWorld, cloudflaredImage: "cloudflare/cloudflared" }, "grafana", { port: 70000, image: { ref: "grafana/grafana:latest" }, stateNote: undefined }), "kavita", {
      hostnames: ["kavita.example.com"],
      memoryMb: 1,
      healthcheck: { test: [] },
    }),
    "karakeep",
    { placement: { mode: "homed", home: "nas", reason: "fixture", tailnetPort: 3002 } },
  );
  const expected = [
    /hosts\[kscloud1\]\.provisioning\.firewallInbound\[0\]: .* opens port 22/,
    /cloudflaredImage: "cloudflare\/cloudflared" has no tag/,
    /services\[grafana\]\.port: 70000 is outside/,
    /services\[grafana\]\.image\.ref: "grafana\/grafana:latest" uses the floating tag latest/,
    /services\[grafana\]\.stateNote: undefined is missing/,
    /services\[kavita\]\.hostnames: "kavita\.example\.com" is outside the zone/,
    /services\[kavita\]\.memoryMb: 1 is outside/,
    /services\[kavita\]\.healthcheck\.test: \[\] is empty/,
    /services\[karakeep\]\.placement\.home: "nas" is not a declared host/,
  ];

  it("throws one SpecValidationError whose problems list all of them", () => {
    let error: unknown;
    try {
      validateSpec(spec, repoRoot);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SpecValidationError);
    const problems = (error as SpecValidationError).problems;
    expect(problems).toHaveLength(expected.length);
    expect(problems.map((p) => p.field)).toEqual([
      "hosts[kscloud1].provisioning.firewallInbound[0]",
      "cloudflaredImage",
      "services[grafana].port",
      "services[grafana].image.ref",
      "services[grafana].stateNote",
      "services[kavita].hostnames",
      "services[kavita].memoryMb",
      "services[kavita].healthcheck.test",
      "services[karakeep].placement.home",
    ]);
  });

  it("prints one line per problem naming field, value and fix", () => {
    expect(() => validateSpec(spec, repoRoot)).toThrow(/^The homelab spec has 9 problems; nothing was synthesized:\n/);
    const lines = linesOf(spec);
    expect(lines).toHaveLength(expected.length);
    expected.forEach((pattern, i) => expect(lines[i]).toMatch(pattern));
    for (const line of lines) expect(line).toMatch(/^ {2}- \S+: .+ \S.*\. Fix: .+\.$/);
  });

  it("says problem, singular, for one", () => {
    expect(() => validateSpec(withService(goodSpec, "grafana", { port: 0 }), repoRoot)).toThrow(/^The homelab spec has 1 problem;/);
  });
});
