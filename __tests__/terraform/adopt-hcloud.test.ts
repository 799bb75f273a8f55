/**
 * The kscloud1-vm import plan with the REAL hcloud provider (1.68.0, built by the toolchain)
 * against a fake Hetzner Cloud API on 127.0.0.1 that answers the reads the provider makes with
 * bodies in the API's shape (GET /servers/{id}, /firewalls/{id}, /ssh_keys/{id}): the existing
 * server, its firewall and the owner's key are imported, updated in place where the description
 * differs, and never replaced. A control moves the fake server to another location: then the
 * plan replaces it, which is exactly what the adoption file's validation refuses.
 */
import { ChildProcess, spawn } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { kitestacks } from "../../homelab/homelab";
import { validateAdoption } from "../../homelab/adoption";
import { hcloudHosts } from "../../homelab/derive";
import { TerraformToolchain } from "../../scripts/terraform-toolchain";
import { fullAdoption } from "../adopt/fixtures";
import { runTerraform, synthesizeInto, tempDir, terraformToolchain, useStandIns } from "./terraform";

const spec = kitestacks;
const host = hcloudHosts(spec)[0];
const provisioning = host.provisioning as { serverType?: string; location?: string; image?: string };
const STACK = `${host.name}-vm`;
const dir = tempDir("ksa2-hcloud");
let tc: TerraformToolchain;
let baseUrl: string;
const location = provisioning.location ?? "nbg1";
/** Whether the fake's server has the top-level `location` (the current API) or only datacenter.location. */
let topLevelLocation = true;

const adoption = fullAdoption(spec);
/** Discovery adopts a Hetzner key only when it is the deploy key (or named like ours). */
const DEPLOY_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKsa2deploykeydeploykeydeploykey000000 deploy@kitestacks";
const ids = adoption.hetzner![host.name];

/** A server as GET /servers/{id} returns it (docs.hetzner.cloud, "Get a Server"). */
function server() {
  return {
    id: ids.server.id,
    name: host.name,
    status: "running",
    created: "2025-03-01T10:00:00+00:00",
    public_net: {
      ipv4: { id: 11, ip: "203.0.113.10", blocked: false, dns_ptr: "static.203.0.113.10.clients.your-server.de" },
      ipv6: { id: 12, ip: "2001:db8:1::/64", blocked: false, dns_ptr: [] },
      floating_ips: [],
      firewalls: [{ id: ids.firewall, status: "applied" }],
    },
    private_net: [],
    server_type: { id: 104, name: provisioning.serverType ?? "cx23", description: "CX33", cores: 4, memory: 8, disk: 80, storage_type: "local", cpu_type: "shared", architecture: "x86", deprecated: false, prices: [] },
    ...(topLevelLocation ? { location: { id: 2, name: location, description: location, country: "DE", city: "x", latitude: 0, longitude: 0, network_zone: "eu-central" } } : {}),
    datacenter: { id: 2, name: `${location}-dc3`, description: "dc", location: { id: 2, name: location, description: location, country: "DE", city: "x", latitude: 0, longitude: 0, network_zone: "eu-central" }, server_types: { supported: [], available: [], available_for_migration: [] } },
    image: { id: 161547269, type: "system", status: "available", name: "debian-12", description: "Debian 12", os_flavor: "debian", os_version: "12", rapid_deploy: true, architecture: "x86", labels: {}, protection: { delete: false }, created: "2023-06-13T06:00:02+00:00", deprecated: null, deleted: null, bound_to: null, created_from: null, disk_size: 5, image_size: null },
    iso: null,
    rescue_enabled: false,
    locked: false,
    backup_window: null,
    outgoing_traffic: 0,
    ingoing_traffic: 0,
    included_traffic: 21990232555520,
    protection: { delete: false, rebuild: false },
    labels: { owner: "kenpat" },
    volumes: [],
    load_balancers: [],
    primary_disk_size: 80,
    placement_group: null,
  };
}

const firewall = () => ({ id: ids.firewall, name: host.name, labels: {}, created: "2025-03-01T10:00:00+00:00", rules: [], applied_to: [{ type: "server", server: { id: ids.server.id } }] });
const sshKey = () => ({ id: ids.sshKey, name: "owner-laptop", fingerprint: "b7:2f:30:a0:2f:6c:58:6c:21:04:58:61:ba:06:3b:2f", public_key: DEPLOY_KEY, labels: {}, created: "2025-03-01T10:00:00+00:00" });

/**
 * The fake runs in a child process: terraform runs through spawnSync, which blocks this process's
 * event loop, so a server in it could not answer the provider.
 */
const FAKE = `
const http = require("node:http"); const fs = require("node:fs");
const [routesFile, logFile] = process.argv.slice(1);
http.createServer((req, res) => {
  fs.appendFileSync(logFile, req.method + " " + req.url + "\\n");
  const routes = JSON.parse(fs.readFileSync(routesFile, "utf8"));
  const body = routes[new URL(req.url, "http://x").pathname];
  res.writeHead(body ? 200 : 404, { "content-type": "application/json" });
  res.end(JSON.stringify(body || { error: { code: "not_found", message: "fake: not found", details: null } }));
}).listen(0, "127.0.0.1", function () { process.stdout.write(this.address().port + "\\n"); });
`;
let fake: ChildProcess;
const routesFile = join(dir, "routes.json");
const logFile = join(dir, "requests.log");
const writeRoutes = () =>
  writeFileSync(
    routesFile,
    JSON.stringify({ [`/v1/servers/${ids.server.id}`]: { server: server() }, [`/v1/firewalls/${ids.firewall}`]: { firewall: firewall() }, [`/v1/ssh_keys/${ids.sshKey}`]: { ssh_key: sshKey() } }),
  );

beforeAll(async () => {
  tc = await terraformToolchain();
  writeRoutes();
  writeFileSync(logFile, "");
  fake = spawn(process.execPath, ["-e", FAKE, routesFile, logFile], { stdio: ["ignore", "pipe", "inherit"] });
  const port = await new Promise<string>((resolve, reject) => {
    fake.stdout!.once("data", (d: Buffer) => resolve(d.toString().trim()));
    fake.once("exit", (code) => reject(new Error(`fake Hetzner API exited ${code}`)));
  });
  baseUrl = `http://127.0.0.1:${port}/v1`;
}, 120_000);

afterAll(() => {
  fake?.kill();
  rmSync(dir, { recursive: true, force: true });
});

interface Change {
  readonly address: string;
  readonly type: string;
  readonly change: { readonly actions: string[]; readonly importing?: { id: string } };
}

function planVm(sub: string, edit?: (json: any) => void): { status: number | null; changes: Change[]; text: string } {
  mkdirSync(join(dir, sub), { recursive: true });
  const synth = synthesizeInto(join(dir, sub), spec, { adoption: validateAdoption(adoption, spec) });
  const sd = synth.stackDir(STACK);
  if (edit) {
    const json = JSON.parse(readFileSync(join(sd, "cdk.tf.json"), "utf8"));
    edit(json);
    writeFileSync(join(sd, "cdk.tf.json"), JSON.stringify(json));
  }
  writeFileSync(join(sd, "hcloud_endpoint_override.tf.json"), JSON.stringify({ provider: { hcloud: { endpoint: baseUrl, poll_interval: "100ms" } } }));
  useStandIns(tc, sd);
  const env = {
    TF_VAR_hcloud_token: "ksa2".padEnd(64, "x"),
    TF_VAR_ssh_public_key: DEPLOY_KEY,
    TF_VAR_tailscale_auth_key: `tskey-auth-ksa2${"0".repeat(40)}`,
  };
  const init = runTerraform(tc, sd, ["init", "-input=false", "-no-color"], env);
  if (init.status !== 0) throw new Error(`init failed: ${init.stderr}${init.stdout}`);
  const p = runTerraform(tc, sd, ["plan", "-input=false", "-no-color", "-out=plan.tfplan"], env);
  if (p.status !== 0) return { status: p.status, changes: [], text: p.stdout + p.stderr };
  const show = JSON.parse(runTerraform(tc, sd, ["show", "-json", "plan.tfplan"], env).stdout) as { resource_changes: Change[] };
  return { status: 0, changes: show.resource_changes, text: p.stdout };
}

describe(`terraform plan of ${STACK} importing the running server (real hcloud provider, fake API)`, () => {
  test("imports the server, its firewall and the SSH key, and replaces none of them", () => {
    const p = planVm("adopted");
    expect({ status: p.status, text: p.status === 0 ? "" : p.text }).toEqual({ status: 0, text: "" });
    const byType = Object.fromEntries(p.changes.map((c) => [c.type, c]));
    expect(byType.hcloud_server.change.importing?.id).toBe(String(ids.server.id));
    expect(byType.hcloud_firewall.change.importing?.id).toBe(String(ids.firewall));
    const forcing = p.text.split("\n").filter((l) => /forces replacement/.test(l));
    expect({ actions: byType.hcloud_server.change.actions, forcing }).toEqual({ actions: ["update"], forcing: [] });
    expect(byType.hcloud_firewall.change.actions).not.toContain("delete");
    // The description's labels, protection and firewall are set in place on the running server.
    expect(byType.hcloud_server.change.actions).toEqual(["update"]);
    expect(readFileSync(logFile, "utf8").split("\n")).toEqual(expect.arrayContaining([`GET /v1/servers/${ids.server.id}`]));
    process.stdout.write(`hcloud import plan: ${p.changes.map((c) => `${c.address} ${c.change.actions.join("/")}${c.change.importing ? " (import)" : ""}`).join("; ")}\n`);
  });

  test("with the older response shape (no top-level location) the import still updates in place", () => {
    topLevelLocation = false;
    writeRoutes();
    try {
      const p = planVm("older-shape");
      const srv = p.changes.find((c) => c.type === "hcloud_server");
      expect(p.status === 0 ? srv?.change.actions : p.text).toEqual(["update"]);
    } finally {
      topLevelLocation = true;
      writeRoutes();
    }
  });

  test("control: without the ignored location, that response makes the real provider replace the server", () => {
    topLevelLocation = false;
    writeRoutes();
    try {
      const p = planVm("control", (json) => {
        for (const body of Object.values(json.resource.hcloud_server) as any[]) body.lifecycle.ignore_changes = body.lifecycle.ignore_changes.filter((a: string) => a !== "location");
      });
      const srv = p.changes.find((c) => c.type === "hcloud_server");
      expect(p.status === 0 ? srv?.change.actions : p.text).toEqual(["delete", "create"]);
      expect(p.text).toMatch(/location .* # forces replacement/);
    } finally {
      topLevelLocation = true;
      writeRoutes();
    }
  });
});
