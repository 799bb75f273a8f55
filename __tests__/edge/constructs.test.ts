import { TerraformStack, TerraformVariable, Testing } from "cdktf";
import { Construct } from "constructs";
import { AccessEmailPolicy } from "../../constructs/access-email-policy";
import { AccessGuard } from "../../constructs/access-guard";
import { CloudflareTunnel } from "../../constructs/cloudflare-tunnel";
import { TunnelDnsRecord } from "../../constructs/tunnel-dns-record";
import { originRequestOf, TunnelIngress } from "../../constructs/tunnel-ingress";
import { findService } from "../../homelab/derive";
import { kitestacks } from "../../homelab/homelab";
import { resourcesOf, TerraformJson } from "../helpers/synth";

const ACCOUNT = "${var.account}";

/** Synthesizes constructs built in a fresh stack and returns its JSON. */
function synthOf(build: (scope: Construct) => void): TerraformJson {
  const stack = new TerraformStack(Testing.app(), "test");
  build(stack);
  return JSON.parse(Testing.synth(stack));
}

describe("CloudflareTunnel", () => {
  test("the tunnel and its token take their addresses from the construct id", () => {
    const json = synthOf((scope) => new CloudflareTunnel(scope, "edge-tunnel", { accountId: ACCOUNT, name: "t" }));
    expect(Object.keys(resourcesOf(json, "cloudflare_zero_trust_tunnel_cloudflared"))).toEqual(["edge-tunnel"]);
    expect(Object.keys(json.data?.cloudflare_zero_trust_tunnel_cloudflared_token ?? {})).toEqual(["edge-tunnel-token"]);
  });
});

describe("TunnelIngress", () => {
  const grafana = findService(kitestacks, "grafana");

  test("fails when a hostname is routed twice", () => {
    expect(() =>
      synthOf((scope) => {
        const tunnel = new CloudflareTunnel(scope, "tunnel", { accountId: ACCOUNT, name: "t" });
        new TunnelIngress(scope, "ingress", {
          tunnel,
          routes: [
            { hostname: "a.example.com", service: grafana },
            { hostname: "a.example.com", service: grafana },
          ],
        });
      }),
    ).toThrow(/routes\[grafana\]\.hostname "a\.example\.com" is routed twice/);
  });

  test("no routes: the configuration still exists, with only the catch-all", () => {
    const json = synthOf((scope) => {
      const tunnel = new CloudflareTunnel(scope, "tunnel", { accountId: ACCOUNT, name: "t" });
      new TunnelIngress(scope, "ingress", { tunnel, routes: [] });
    });
    const [config] = Object.values(resourcesOf(json, "cloudflare_zero_trust_tunnel_cloudflared_config"));
    expect(config.config.ingress).toEqual([{ service: "http_status:404" }]);
  });

  test("origin settings map to the provider's names and only set fields are sent", () => {
    expect(originRequestOf(undefined)).toBeUndefined();
    expect(originRequestOf({})).toBeUndefined();
    expect(originRequestOf({ http2Origin: true })).toEqual({ http2Origin: true });
    expect(originRequestOf({ connectTimeoutSeconds: 15, httpHostHeader: "h" })).toEqual({ connectTimeout: 15, httpHostHeader: "h" });
  });
});

describe("TunnelDnsRecord", () => {
  test("points at the tunnel, proxied, with a default comment saying KiteStacks manages it", () => {
    const json = synthOf((scope) => {
      const tunnel = new CloudflareTunnel(scope, "tunnel", { accountId: ACCOUNT, name: "t" });
      new TunnelDnsRecord(scope, "dns", { zoneId: "${var.zone}", hostname: "x.example.com", tunnel });
    });
    const [record] = Object.values(resourcesOf(json, "cloudflare_dns_record"));
    expect(record.comment).toMatch(/^Managed by KiteStacks/);
    expect(record).toMatchObject({ name: "x.example.com", type: "CNAME", ttl: 1, proxied: true, content: "${cloudflare_zero_trust_tunnel_cloudflared.tunnel.id}.cfargotunnel.com" });
  });
});

describe("AccessEmailPolicy and AccessGuard", () => {
  test("literal addresses become one include entry each", () => {
    const json = synthOf((scope) => new AccessEmailPolicy(scope, "p", { accountId: ACCOUNT, name: "n", emails: ["a@example.com", "b@example.com"] }));
    const [policy] = Object.values(resourcesOf(json, "cloudflare_zero_trust_access_policy"));
    expect(policy.include).toEqual([{ email: { email: "a@example.com" } }, { email: { email: "b@example.com" } }]);
    expect(policy.decision).toBe("allow");
  });

  test("a list variable becomes a Terraform for expression over it", () => {
    const json = synthOf((scope) => {
      const emails = new TerraformVariable(scope, "emails", { type: "list(string)", sensitive: true });
      new AccessEmailPolicy(scope, "p", { accountId: ACCOUNT, name: "n", emails: emails.listValue });
    });
    const [policy] = Object.values(resourcesOf(json, "cloudflare_zero_trust_access_policy"));
    expect(policy.include).toBe("${[ for key, val in toset(var.emails): { email = { email = val } }]}");
  });

  test("fails for an empty literal email list", () => {
    expect(() => synthOf((scope) => new AccessEmailPolicy(scope, "p", { accountId: ACCOUNT, name: "n", emails: [] }))).toThrow(/emails is empty/);
  });

  test("policies attach in order with precedence 1, 2, ...; the session duration can be set", () => {
    const json = synthOf((scope) => {
      const first = new AccessEmailPolicy(scope, "first", { accountId: ACCOUNT, name: "1", emails: ["a@example.com"] });
      const second = new AccessEmailPolicy(scope, "second", { accountId: ACCOUNT, name: "2", emails: ["b@example.com"] });
      new AccessGuard(scope, "guard", { accountId: ACCOUNT, hostname: "x.example.com", name: "x", policies: [first, second], sessionDuration: "8h" });
    });
    const policyIds = Object.fromEntries(Object.entries(resourcesOf(json, "cloudflare_zero_trust_access_policy")).map(([id, p]) => [p.name, id]));
    const [app] = Object.values(resourcesOf(json, "cloudflare_zero_trust_access_application"));
    expect(app.policies).toEqual([
      { id: `\${cloudflare_zero_trust_access_policy.${policyIds["1"]}.id}`, precedence: 1 },
      { id: `\${cloudflare_zero_trust_access_policy.${policyIds["2"]}.id}`, precedence: 2 },
    ]);
    expect(app.session_duration).toBe("8h");
  });

  test("fails for an application without policies", () => {
    expect(() => synthOf((scope) => new AccessGuard(scope, "g", { accountId: ACCOUNT, hostname: "x.example.com", name: "x", policies: [] }))).toThrow(/policies is empty/);
  });
});
