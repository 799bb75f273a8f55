/**
 * npm run adopt:discover against fake Cloudflare and Hetzner APIs on 127.0.0.1 (bodies in the
 * APIs' shapes, paginated) and a REAL Docker engine holding the owner's compose project, brought
 * up by the real docker-compose. The one stand-in: `docker` runs against the test's engine
 * directly instead of through ssh (the ssh command line itself is checked with a fake ssh).
 */
import { App, Testing } from "cdktf";
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildHomelab } from "../../app";
import { SSH_KEY_NAME } from "../../constructs/hcloud-docker-host";
import { accessTargets, validateAdoption } from "../../homelab/adoption";
import { findHost, hcloudHosts, publicHostnames } from "../../homelab/derive";
import { discover, DockerOnHost, dockerOverSshWith, main } from "../../scripts/adopt-discover";
import { goodSpec } from "../fixtures/specs";
import { repoRoot } from "../helpers/synth";
import { FakeApi, fakeCloudflare, fakeHetzner, TOKEN } from "./fake-apis";
import { OWNER_PROJECT, OwnerHomelab, startOwnerHomelab } from "./owner-homelab";

const spec = goodSpec;
const ACCOUNT = "0123456789abcdef0123456789abcdef";
const ZONE = "fedcba9876543210fedcba9876543210";
const TUNNEL = "c0ffee00-1111-4222-8333-444455556666";
const hostnames = publicHostnames(spec).map((r) => r.hostname);
const aRecordHost = hostnames[1];
const missingHost = hostnames[hostnames.length - 1];
const vmHost = hcloudHosts(spec)[0];
const ownerKey = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKsa2testkeytestkeytestkeytestkeytestkey";

let owner: OwnerHomelab;
let cf: FakeApi;
let hz: FakeApi;
const hex = (n: number) => n.toString(16).padStart(32, "0");

beforeAll(async () => {
  owner = await startOwnerHomelab(spec, "monk", "discover");
  cf = await fakeCloudflare({
    [`/accounts/${ACCOUNT}/cfd_tunnel`]: [
      { id: "dead0000-1111-4222-8333-444455556666", account_tag: ACCOUNT, name: spec.tunnelName, created_at: "2025-01-01T00:00:00Z", deleted_at: "2025-02-01T00:00:00Z", remote_config: true, status: "inactive", tun_type: "cfd_tunnel" },
      { id: TUNNEL, account_tag: ACCOUNT, name: spec.tunnelName, created_at: "2025-02-02T00:00:00Z", deleted_at: null, remote_config: true, status: "healthy", tun_type: "cfd_tunnel", connections: [] },
    ],
    [`/zones/${ZONE}/dns_records`]: hostnames
      .filter((h) => h !== missingHost)
      .map((h, i) =>
        h === aRecordHost
          ? { id: hex(900 + i), name: h, type: "A", content: "192.0.2.10", proxied: true, ttl: 1, zone_id: ZONE }
          : { id: hex(100 + i), name: h, type: "CNAME", content: `${TUNNEL}.cfargotunnel.com`, proxied: true, ttl: 1, zone_id: ZONE, settings: {}, comment: null, tags: [] },
      ),
    [`/accounts/${ACCOUNT}/access/apps`]: accessTargets(spec).map((t, i) => ({ id: `a0000000-0000-4000-8000-${String(i).padStart(12, "0")}`, name: t.name, domain: t.target, type: "self_hosted", aud: "x".repeat(64) })),
    [`/accounts/${ACCOUNT}/access/policies`]: [{ id: "b0000000-0000-4000-8000-000000000001", name: `${spec.tunnelName} admin surfaces`, decision: "allow", reusable: true }],
  });
  hz = await fakeHetzner({
    "/servers": [{ id: 4242, name: vmHost.name, status: "running", server_type: { id: 104, name: "cx33", cores: 4, memory: 8 }, datacenter: { id: 2, name: "nbg1-dc3", location: { id: 2, name: "nbg1", city: "Nuremberg" } }, public_net: { firewalls: [{ id: 77, status: "applied" }] } }],
    "/firewalls": [{ id: 77, name: vmHost.name, rules: [], applied_to: [] }],
    "/ssh_keys": [
      { id: 8, name: "someone-else", fingerprint: "aa", public_key: "ssh-ed25519 AAAAother other@host" },
      { id: 9, name: "owner-laptop", fingerprint: "bb", public_key: `${ownerKey} owner@laptop` },
    ],
  });
}, 240_000);

afterAll(async () => {
  await owner?.stop();
  await cf?.close();
  await hz?.close();
});

const dockerHere: () => DockerOnHost = () => (host, args) => (host.name === "monk" ? owner.docker(args) : { status: 255, stdout: "", stderr: `ssh: Could not resolve hostname ${host.name}` });

const sources = () => ({
  cloudflare: { baseUrl: cf.baseUrl, token: TOKEN, accountId: ACCOUNT, zoneId: ZONE },
  hetzner: { baseUrl: hz.baseUrl, token: TOKEN, sshPublicKey: `${ownerKey} deploy@kitestacks` },
  docker: dockerHere(),
});

describe("adopt:discover", () => {
  test("matches the tunnel, the CNAMEs, Access and the server, and says what it could not", async () => {
    const report = await discover(spec, { ...sources(), hosts: ["monk"] });
    const a = report.adoption;
    expect(a.cloudflare?.tunnel).toEqual({ id: TUNNEL, name: spec.tunnelName });
    expect(Object.keys(a.cloudflare?.dnsRecords ?? {}).sort()).toEqual(hostnames.filter((h) => h !== aRecordHost && h !== missingHost).sort());
    expect(Object.keys(a.cloudflare?.accessApplications ?? {}).sort()).toEqual(accessTargets(spec).map((t) => t.target).sort());
    expect(a.cloudflare?.accessPolicy).toBe("b0000000-0000-4000-8000-000000000001");
    expect(a.hetzner?.[vmHost.name]).toEqual({ server: { id: 4242, location: "nbg1", serverType: "cx33" }, firewall: 77, sshKey: 9 });
    expect(report.unmatched).toEqual(expect.arrayContaining([expect.stringMatching(new RegExp(`${aRecordHost.replace(/\./g, "\\.")} has A .* no CNAME`))]));
    expect(report.matched).toEqual(expect.arrayContaining([`cloudflare: no record for ${missingHost} yet: the edge stack creates it`]));
    // Paged through: the fake serves two items a page.
    expect(cf.requests.filter((r) => r.includes("dns_records")).length).toBeGreaterThan(2);
  });

  test("finds each service's data on the host by the description's mount paths", async () => {
    const report = await discover(spec, { ...sources(), hosts: ["monk"] });
    const monk = report.adoption.hosts?.monk;
    const dir = owner.dir;
    expect(monk?.services).toEqual({
      authentik: { data: { bindPath: `${dir}/media` }, templates: { bindPath: `${dir}/custom-templates` }, certs: { bindPath: `${dir}/certs` } },
      kavita: { config: { volume: `${OWNER_PROJECT}_kavita-config` }, library: { bindPath: `${dir}/books` } },
      "open-webui": { data: { volume: `${OWNER_PROJECT}_open-webui` } },
      metrics: { "disk-probe": { fresh: expect.stringMatching(/holds nothing a user writes/) } },
    });
    expect(monk?.compose).toEqual([{ project: OWNER_PROJECT, workingDir: dir, configFiles: [`${dir}/docker-compose.yml`] }]);
    expect(monk?.network).toMatch(/^[0-9a-f]{64}$/);
    // Forgejo runs on monk today but is homed elsewhere: reported, not taken over.
    expect(report.unmatched).toEqual(expect.arrayContaining([expect.stringMatching(/monk: forgejo\.data runs here today \(volume homelab_forgejo-data\) but forgejo is not placed on monk/)]));
  });

  test("the discovered file validates, and synth with it imports monk's volumes (policy passes)", async () => {
    const report = await discover(spec, { ...sources(), hosts: ["monk"] });
    const adoption = validateAdoption(report.adoption, spec);
    const app: App = Testing.app();
    const stacks = buildHomelab(app, spec, { repoRoot, adoption });
    const json = stacks.hosts.get("monk")!.toTerraform() as any;
    expect((json.import as { id: string }[]).map((i) => i.id).sort()).toEqual([monkNetworkId(report), `${OWNER_PROJECT}_kavita-config`, `${OWNER_PROJECT}_open-webui`].sort());
  });

  test("main writes the file and prints matched and unmatched; a host that does not answer is unmatched", async () => {
    const tmp = mkdtempSync(join(tmpdir(), "ksa2-discover-"));
    try {
      const lines: string[] = [];
      const code = await main(spec, ["--out", join(tmp, "adoption.json")], {}, sources(), (l) => lines.push(l));
      const text = lines.join("\n");
      expect(text).toMatch(/Matched \(\d+\):/);
      expect(text).toMatch(/✗ kscloud1: docker over SSH failed \(ssh: Could not resolve hostname kscloud1\)/);
      expect(JSON.parse(readFileSync(join(tmp, "adoption.json"), "utf8")).hosts.monk.services.kavita.config).toEqual({ volume: `${OWNER_PROJECT}_kavita-config` });
      expect(code).toBe(0);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });

  test("a wrong token is reported with the API's words, not thrown", async () => {
    const report = await discover(spec, { cloudflare: { ...sources().cloudflare, token: "wrong" }, hetzner: { ...sources().hetzner, token: "wrong" } });
    expect(report.unmatched).toEqual([expect.stringMatching(/^cloudflare: .*HTTP 403.*Authentication error.*Fix: check TF_VAR_cloudflare_api_token/), expect.stringMatching(/^hetzner: .*HTTP 401.*unable to authenticate/)]);
  });

  test("over SSH it uses the doctor's options: strict host keys, batch mode", () => {
    const tmp = mkdtempSync(join(tmpdir(), "ksa2-ssh-"));
    try {
      writeFileSync(join(tmp, "ssh"), `#!/bin/sh\nprintf '%s\\n' "$@" > '${tmp}/argv'\necho '[]'\n`);
      chmodSync(join(tmp, "ssh"), 0o755);
      const r = dockerOverSshWith({ ...process.env, PATH: `${tmp}:${process.env.PATH}` })(findHost(spec, "monk"), ["volume", "ls", "--format", "{{.Name}}"]);
      expect(r.status).toBe(0);
      const argv = readFileSync(join(tmp, "argv"), "utf8").trim().split("\n");
      expect(argv.slice(0, 6)).toEqual(["-o", "StrictHostKeyChecking=yes", "-o", "BatchMode=yes", "-o", "ConnectTimeout=10"]);
      expect(argv.slice(6)).toEqual([`${findHost(spec, "monk").sshUser}@monk`, "docker", "volume", "ls", "--format", "{{.Name}}"]);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});

function monkNetworkId(report: Awaited<ReturnType<typeof discover>>): string {
  return report.adoption.hosts!.monk.network!;
}
void SSH_KEY_NAME;
