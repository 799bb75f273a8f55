import { FIXED_INPUTS } from "../../constructs/homelab-inputs";
import { findService, internalUrl, publicHostnames } from "../../homelab/derive";
import { kitestacks } from "../../homelab/homelab";
import { HomelabSpec } from "../../homelab/types";
import { resourcesOf, TerraformJson } from "../helpers/synth";
import { build, cloneService, edgeJson, specWith, withService } from "./fixtures";

/** The ingress list of the (single) tunnel configuration. */
function ingressOf(json: TerraformJson): { hostname?: string; service: string; origin_request?: Record<string, unknown> }[] {
  const configs = Object.values(resourcesOf(json, "cloudflare_zero_trust_tunnel_cloudflared_config"));
  expect(configs).toHaveLength(1);
  return configs[0].config.ingress;
}

const count = (values: readonly unknown[], value: unknown) => values.filter((v) => v === value).length;

/** Every public service of a spec has exactly one DNS record and one ingress rule per hostname. */
function expectOneRecordAndRulePerHostname(spec: HomelabSpec) {
  const json = edgeJson(spec);
  const recordNames = Object.values(resourcesOf(json, "cloudflare_dns_record")).map((r) => r.name);
  const rules = ingressOf(json);
  const ruleHosts = rules.map((r) => r.hostname);
  const expected = publicHostnames(spec);
  expect(recordNames).toHaveLength(expected.length);
  expect(rules).toHaveLength(expected.length + 1);
  for (const { hostname, service } of expected) {
    expect(count(recordNames, hostname)).toBe(1);
    expect(count(ruleHosts, hostname)).toBe(1);
    expect(rules.find((r) => r.hostname === hostname)?.service).toBe(internalUrl(service));
  }
  // The catch-all is last, and it is the only rule without a hostname.
  expect(rules[rules.length - 1]).toEqual({ service: "http_status:404" });
  expect(rules.slice(0, -1).every((r) => typeof r.hostname === "string" && r.hostname.length > 0)).toBe(true);
}

describe("edge invariants", () => {
  test("the real spec: one DNS record and one ingress rule per hostname, catch-all last and alone", () => {
    expectOneRecordAndRulePerHostname(kitestacks);
  });

  test("a service with three hostnames gets three records and three rules, in its spec order", () => {
    const hostnames = ["docs.kitestacks.com", "help.kitestacks.com", "kb.kitestacks.com"];
    const spec = withService("bookstack", { hostnames });
    expectOneRecordAndRulePerHostname(spec);
    const rules = ingressOf(edgeJson(spec)).map((r) => r.hostname);
    expect(rules.filter((h) => hostnames.includes(h!))).toEqual(hostnames);
  });

  test("construct ids depend on the hostname only: adding a service first moves nothing", () => {
    const ids = (spec: HomelabSpec) => {
      const json = edgeJson(spec);
      return new Map(Object.entries(resourcesOf(json, "cloudflare_dns_record")).map(([id, r]) => [r.name as string, id]));
    };
    const before = ids(kitestacks);
    const grown = specWith({ services: [cloneService("kavita", "comics", ["comics.kitestacks.com"]), ...kitestacks.services] });
    const after = ids(grown);
    expect(after.size).toBe(before.size + 1);
    for (const [hostname, id] of before) expect(after.get(hostname)).toBe(id);
    const access = (spec: HomelabSpec) => Object.keys(resourcesOf(edgeJson(spec), "cloudflare_zero_trust_access_application"));
    expect(access(grown)).toEqual(access(kitestacks));
  });
});

describe("edge failing fixtures (validation runs before any stack is built)", () => {
  test("fails for a replicated service that keeps per-host state", () => {
    expect(() => build(withService("grafana", { placement: { mode: "replicated", reason: "try it" } }))).toThrow(
      /services\[grafana\]\.placement: "replicated" keeps per-host state \(its state is per-host\)/,
    );
  });

  test("a homed service keeps its one ingress route; the route targets the same container name everywhere", () => {
    const [first] = kitestacks.hosts;
    const spec = withService("grafana", { placement: { mode: "homed", home: first.name, reason: "test", tailnetPort: 3001 } });
    expect(() => build(spec)).not.toThrow();
    expect(ingressOf(edgeJson(spec)).map((r) => r.service)).toContain(internalUrl(findService(spec, "grafana")));
  });

  test("fails for a hostname outside the zone", () => {
    expect(() => build(withService("kavita", { hostnames: ["kavita.example.org"] }))).toThrow(/services\[kavita\]\.hostnames: "kavita\.example\.org" is outside the zone kitestacks\.com/);
  });

  test("fails for a zone look-alike (the domain as a suffix without a dot)", () => {
    expect(() => build(withService("kavita", { hostnames: [`evil${kitestacks.domain}`] }))).toThrow(/services\[kavita\]\.hostnames: .* is outside the zone/);
  });

  test("fails for a hostname used by two services", () => {
    const taken = findService(kitestacks, "grafana").hostnames![0];
    expect(() => build(withService("kavita", { hostnames: [taken] }))).toThrow(/services\[kavita\]\.hostnames: .* is already used by service grafana/);
  });

  test("fails for the same hostname twice in one service", () => {
    const own = findService(kitestacks, "kavita").hostnames![0];
    expect(() => build(withService("kavita", { hostnames: [own, own] }))).toThrow(/services\[kavita\]\.hostnames: .* is already used by service kavita/);
  });
});

describe("origin settings and Access follow the spec", () => {
  test("a service's origin settings become that rule's origin_request, and no other rule gets one", () => {
    const spec = withService("open-webui", { origin: { connectTimeoutSeconds: 30, http2Origin: false, httpHostHeader: "ai.internal" } });
    const rules = ingressOf(edgeJson(spec));
    const hostname = findService(spec, "open-webui").hostnames![0];
    expect(rules.find((r) => r.hostname === hostname)?.origin_request).toEqual({ connect_timeout: 30, http2_origin: false, http_host_header: "ai.internal" });
    expect(rules.filter((r) => r.origin_request !== undefined)).toHaveLength(1);
  });

  test("no admin surface: no Access application, no policy, no email variable", () => {
    const spec = withService("portainer", { adminSurface: false });
    const json = edgeJson(spec);
    expect(resourcesOf(json, "cloudflare_zero_trust_access_application")).toEqual({});
    expect(resourcesOf(json, "cloudflare_zero_trust_access_policy")).toEqual({});
    expect(json.variable).not.toHaveProperty(FIXED_INPUTS.accessAllowedEmails.name);
  });

  test("two admin surfaces share the one policy, each with its own application", () => {
    const spec = withService("grafana", { adminSurface: true });
    const json = edgeJson(spec);
    const policies = Object.keys(resourcesOf(json, "cloudflare_zero_trust_access_policy"));
    expect(policies).toHaveLength(1);
    const apps = Object.values(resourcesOf(json, "cloudflare_zero_trust_access_application"));
    expect(apps.map((a) => a.domain).sort()).toEqual(
      [...findService(spec, "grafana").hostnames!, ...findService(spec, "portainer").hostnames!].sort(),
    );
    for (const app of apps) expect(app.policies).toEqual([{ id: `\${cloudflare_zero_trust_access_policy.${policies[0]}.id}`, precedence: 1 }]);
  });
});
