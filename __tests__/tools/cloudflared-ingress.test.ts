import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { reportedCloudflaredVersion } from "../../scripts/tools";
import { cloudflaredVersion } from "../../scripts/tools/cloudflared";
import { kitestacks } from "../../homelab/homelab";
import { HomelabSpec, OriginSpec } from "../../homelab/types";
import { cloudflaredBinary, cloudflaredConfigOf, ingressCommand, matchedRule } from "../helpers/cloudflared";
import { synthHomelab } from "../helpers/synth";

/**
 * The tunnel ingress the edge stack synthesizes, checked by the real cloudflared at the version
 * the connector image pins (built by `npm run tools`): the rules validate, every public
 * hostname of the spec lands on its own service's container, and anything else gets the 404
 * catch-all. Expectations come from the homelab description, not from the construct.
 */

/** The real spec with origin settings on its first public service, to have cloudflared judge them. */
function withOriginSettings(spec: HomelabSpec): HomelabSpec {
  const first = spec.services.find((s) => (s.hostnames ?? []).length > 0)!;
  const origin: OriginSpec = { connectTimeoutSeconds: 45, http2Origin: true, httpHostHeader: first.hostnames![0] };
  return { ...spec, services: spec.services.map((s) => (s === first ? { ...s, origin } : s)) };
}

/** What the spec means for a hostname's rule: the service's container and port, its origin settings. */
function intendedRule(spec: HomelabSpec, hostname: string): { service: string; originRequest?: Record<string, unknown> } {
  const owners = spec.services.filter((s) => (s.hostnames ?? []).includes(hostname));
  expect(owners).toHaveLength(1);
  const [svc] = owners;
  const o = svc.origin;
  const originRequest = o && {
    ...(o.connectTimeoutSeconds !== undefined && { connectTimeout: `${o.connectTimeoutSeconds}s` }),
    ...(o.http2Origin !== undefined && { http2Origin: o.http2Origin }),
    ...(o.httpHostHeader !== undefined && { httpHostHeader: o.httpHostHeader }),
  };
  return { service: `http://${svc.name}:${svc.port}`, ...(originRequest && { originRequest }) };
}

const version = cloudflaredVersion(kitestacks);
let binary: string;
let dir: string;
beforeAll(() => {
  binary = cloudflaredBinary(version);
  dir = mkdtempSync(join(tmpdir(), "kite-cloudflared-"));
});
afterAll(() => dir && rmSync(dir, { recursive: true, force: true }));

it("runs the cloudflared release the connector image pins", () => {
  expect(reportedCloudflaredVersion(binary)).toBe(version);
});

describe.each([
  ["the homelab", kitestacks],
  ["the homelab with origin settings", withOriginSettings(kitestacks)],
])("the tunnel ingress of %s, read by cloudflared", (_name, spec) => {
  let file: string;
  let config: ReturnType<typeof cloudflaredConfigOf>;
  beforeAll(() => {
    config = cloudflaredConfigOf(synthHomelab(spec).json(synthHomelab(spec).stacks.edge));
    file = join(dir, `${spec === kitestacks ? "homelab" : "origin"}.yml`);
    // JSON is YAML: cloudflared's config loader (yaml.v3) reads it as written.
    writeFileSync(file, JSON.stringify(config, null, 2));
  });

  it("passes `cloudflared tunnel ingress validate` with no unused keys", () => {
    const run = ingressCommand(binary, file, "validate");
    expect(run).toEqual({ code: 0, output: expect.stringMatching(/^OK$/m) });
    // cloudflared only warns about settings it does not know; an ignored setting is a defect.
    expect(run.output).not.toMatch(/unused keys|not found in type/);
  });

  const hostnames = spec.services.flatMap((s) => s.hostnames ?? []);
  it.each(hostnames)("routes https://%s/ to the service the spec declares for it", (hostname) => {
    const intended = intendedRule(spec, hostname);
    for (const url of [`https://${hostname}/`, `https://${hostname}/some/deep/path?q=1`]) {
      const rule = matchedRule(ingressCommand(binary, file, "rule", url));
      expect({ url, service: rule.service }).toEqual({ url, service: intended.service });
      expect(config.ingress[rule.index]).toEqual({ hostname, ...intended });
    }
  });

  it("sends a hostname the spec does not declare, and a look-alike, to the 404 catch-all", () => {
    for (const hostname of [`not-a-service-${process.pid}.${spec.domain}`, `${hostnames[0]}.evil.example`, `x${hostnames[0]}`]) {
      const rule = matchedRule(ingressCommand(binary, file, "rule", `https://${hostname}/`));
      expect({ hostname, ...rule }).toEqual({ hostname, index: config.ingress.length - 1, service: "http_status:404" });
    }
  });
});

it("can fail: cloudflared rejects an ingress without the catch-all and warns on a setting it does not know", () => {
  const noCatchAll = join(dir, "no-catch-all.yml");
  writeFileSync(noCatchAll, JSON.stringify({ ingress: [{ hostname: `a.${kitestacks.domain}`, service: "http://a:1" }] }));
  expect(ingressCommand(binary, noCatchAll, "validate").code).not.toBe(0);
  const unknown = join(dir, "unknown-setting.yml");
  writeFileSync(unknown, JSON.stringify({ ingress: [{ hostname: `a.${kitestacks.domain}`, service: "http://a:1", originRequest: { connectTimeOut: "5s" } }, { service: "http_status:404" }] }));
  expect(ingressCommand(binary, unknown, "validate").output).toMatch(/unused keys/);
});
