import { stackNames } from "../../app";
import { FIXED_INPUTS } from "../../constructs/homelab-inputs";
import { connectorHosts, internalUrl, publicHostnames } from "../../homelab/derive";
import { kitestacks } from "../../homelab/homelab";
import { normalizePaths, resourcesOf, synthHomelab } from "../helpers/synth";
import { edgeJson, specWith, stringsIn } from "./fixtures";

const TUNNEL_ID = "${cloudflare_zero_trust_tunnel_cloudflared.tunnel.id}";
const varRef = (def: { name: string }) => `\${var.${def.name}}`;
const routes = publicHostnames(kitestacks);

describe("edge stack (the real spec)", () => {
  const json = edgeJson();

  test("one remotely managed tunnel at the stable address, without a tunnel secret", () => {
    const tunnels = resourcesOf(json, "cloudflare_zero_trust_tunnel_cloudflared");
    expect(Object.keys(tunnels)).toEqual(["tunnel"]);
    expect(tunnels.tunnel).toMatchObject({
      config_src: "cloudflare",
      name: kitestacks.tunnelName,
      account_id: varRef(FIXED_INPUTS.cloudflareAccountId),
    });
    expect(tunnels.tunnel).not.toHaveProperty("tunnel_secret");
    expect(json.data?.cloudflare_zero_trust_tunnel_cloudflared_token).toEqual({
      "tunnel-token": expect.objectContaining({ tunnel_id: TUNNEL_ID, account_id: varRef(FIXED_INPUTS.cloudflareAccountId) }),
    });
  });

  test("a single tunnel configuration whose ingress follows the spec's hostname order, catch-all last", () => {
    const configs = Object.values(resourcesOf(json, "cloudflare_zero_trust_tunnel_cloudflared_config"));
    expect(configs).toHaveLength(1);
    expect(configs[0]).toMatchObject({ tunnel_id: TUNNEL_ID, source: "cloudflare" });
    expect(configs[0].config.ingress).toEqual([
      ...routes.map(({ hostname, service }) => ({ hostname, service: internalUrl(service) })),
      { service: "http_status:404" },
    ]);
  });

  test("every ingress rule targets a container name and port on the Docker network", () => {
    const [config] = Object.values(resourcesOf(json, "cloudflare_zero_trust_tunnel_cloudflared_config"));
    const byName = new Map(kitestacks.services.map((s) => [s.name, s]));
    for (const rule of config.config.ingress.slice(0, -1)) {
      const m = /^http:\/\/([a-z0-9-]+):(\d+)$/.exec(rule.service);
      expect(m).not.toBeNull();
      expect(byName.get(m![1])?.port).toBe(Number(m![2]));
    }
  });

  test("one proxied CNAME to the tunnel per public hostname, apex and www included", () => {
    const records = Object.values(resourcesOf(json, "cloudflare_dns_record"));
    expect(records.map((r) => r.name).sort()).toEqual(routes.map((r) => r.hostname).sort());
    expect(records.map((r) => r.name)).toEqual(expect.arrayContaining([kitestacks.domain, `www.${kitestacks.domain}`]));
    for (const record of records) {
      expect(record).toEqual({
        zone_id: varRef(FIXED_INPUTS.cloudflareZoneId),
        name: record.name,
        type: "CNAME",
        content: `${TUNNEL_ID}.cfargotunnel.com`,
        ttl: 1,
        proxied: true,
        settings: { flatten_cname: false, ipv4_only: false, ipv6_only: false },
        comment: expect.stringMatching(/^Managed by KiteStacks/),
      });
    }
  });

  test("Cloudflare Access guards exactly the admin surfaces (Portainer, Authentik's admin interface) with one reusable allow policy", () => {
    const admin = kitestacks.services.filter((s) => s.adminSurface);
    expect(admin.map((s) => s.name)).toEqual(["portainer"]);
    const policies = resourcesOf(json, "cloudflare_zero_trust_access_policy");
    expect(Object.keys(policies)).toHaveLength(1);
    const [[policyId, policy]] = Object.entries(policies);
    expect(policy).toMatchObject({
      account_id: varRef(FIXED_INPUTS.cloudflareAccountId),
      decision: "allow",
      include: `\${[ for key, val in toset(var.${FIXED_INPUTS.accessAllowedEmails.name}): { email = { email = val } }]}`,
    });
    const apps = Object.values(resourcesOf(json, "cloudflare_zero_trust_access_application"));
    // Whole hostnames of admin surfaces, and path-scoped applications for admin paths (Authentik's
    // /if/admin/ only: its flows, user interface and OIDC endpoints serve everyone).
    const adminPaths = kitestacks.services.flatMap((s) => (s.adminPaths ?? []).flatMap((p) => (s.hostnames ?? []).map((h) => `${h}${p.replace(/\/+$/, "")}`)));
    expect(adminPaths).toEqual(["auth.kitestacks.com/if/admin"]);
    expect(apps.map((a) => a.domain).sort()).toEqual([...admin.flatMap((s) => s.hostnames ?? []), ...adminPaths].sort());
    for (const app of apps) {
      expect(app).toMatchObject({
        type: "self_hosted",
        account_id: varRef(FIXED_INPUTS.cloudflareAccountId),
        destinations: [{ type: "public", uri: app.domain }],
        policies: [{ id: `\${cloudflare_zero_trust_access_policy.${policyId}.id}`, precedence: 1 }],
        session_duration: "24h",
      });
    }
  });

  test("declares exactly its four inputs, all sensitive, the email list as list(string)", () => {
    const inputs = [FIXED_INPUTS.cloudflareApiToken, FIXED_INPUTS.cloudflareAccountId, FIXED_INPUTS.cloudflareZoneId, FIXED_INPUTS.accessAllowedEmails];
    expect(Object.keys(json.variable ?? {}).sort()).toEqual(inputs.map((i) => i.name).sort());
    for (const v of Object.values(json.variable ?? {})) expect(v.sensitive).toBe(true);
    expect(json.variable?.[FIXED_INPUTS.accessAllowedEmails.name].type).toBe("list(string)");
  });

  test("no secret literal: credentials and ids are variable references, nothing looks like a key or token", () => {
    expect(json.provider?.cloudflare).toEqual([{ api_token: varRef(FIXED_INPUTS.cloudflareApiToken) }]);
    const all = [...Object.values(json.resource ?? {}), ...Object.values(json.data ?? {})].flatMap((byId) => Object.values(byId));
    for (const block of all) {
      if ("account_id" in block) expect(block.account_id).toBe(varRef(FIXED_INPUTS.cloudflareAccountId));
      if ("zone_id" in block) expect(block.zone_id).toBe(varRef(FIXED_INPUTS.cloudflareZoneId));
      expect(block).not.toHaveProperty("tunnel_secret");
    }
    const text = JSON.stringify({ resource: json.resource, data: json.data, provider: json.provider, output: json.output });
    expect(text).not.toMatch(/(?<![0-9a-f])[0-9a-f]{32}(?![0-9a-f])/); // account/zone ids
    expect(text).not.toMatch(/eyJ[A-Za-z0-9_-]{20,}/); // a tunnel token (base64 JSON)
    expect(stringsIn(json).filter((s) => s.includes("@") && !s.includes("${"))).toEqual([]); // no email literal
  });
});

describe("the tunnel token crosses stacks only as a sensitive remote-state output", () => {
  const TOKEN_VALUE = "${data.cloudflare_zero_trust_tunnel_cloudflared_token.tunnel-token.token}";

  test.each(connectorHosts(kitestacks).map((h) => h.name))("the %s workload stack reads it from the edge's remote state", (host) => {
    const homelab = synthHomelab();
    const edge = homelab.json(homelab.stacks.edge);
    const outputs = Object.entries(edge.output ?? {}).filter(([, o]) => o.value === TOKEN_VALUE);
    expect(outputs).toHaveLength(1);
    const [[outputName, output]] = outputs;
    expect(output.sensitive).toBe(true);
    for (const o of Object.values(edge.output ?? {})) expect(o.sensitive).toBe(true);
    const hostJson = homelab.json(homelab.stacks.hosts.get(host)!);
    const input = `cross-stack-reference-input-${stackNames.edge}`;
    expect(hostJson.data?.terraform_remote_state).toHaveProperty(input);
    // Re-marked sensitive where it is read (remote state drops the mark, hashicorp/terraform#29544).
    const ref = `\${sensitive(data.terraform_remote_state.${input}.outputs.${outputName})}`;
    expect(stringsIn(hostJson.resource).filter((s) => s.includes(ref)).length).toBeGreaterThan(0);
  });
});

describe("edge stack snapshot", () => {
  test("a two-service fixture (Authentik and Portainer) synthesizes to the recorded Terraform", () => {
    const spec = specWith({ services: kitestacks.services.filter((s) => s.sso.mode === "identity-provider" || s.adminSurface) });
    const homelab = synthHomelab(spec);
    expect(normalizePaths(homelab.synth(homelab.stacks.edge))).toMatchSnapshot();
  });
});
