import { Network } from "@cdktf/provider-docker/lib/network";
import { DockerProvider } from "@cdktf/provider-docker/lib/provider";
import { TerraformStack, TerraformVariable, Testing } from "cdktf";
import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ServiceForwarder } from "../../constructs/service-forwarder";
import { kitestacks } from "../../homelab/homelab";
import { mainConfig, requireNginx } from "../../portal/build/nginx";
import { synthHomelab, TerraformJson } from "../helpers/synth";

/**
 * Every nginx config file the synthesized stacks write into a container (uploads under
 * /etc/nginx/, e.g. homed services' forwarders) passes Debian's `nginx -t`, inside a miniature
 * nginx.conf that includes it in http {} as nginx-unprivileged's does. The portal's config is
 * built into its image and checked by __tests__/portal/nginx-config.test.ts.
 */

/** Stand-in for a host's Tailscale address where Terraform fills in `var.tailscale_ip_<host>`. */
const SAMPLE_TAILSCALE_IP = "100.64.0.10";

interface NginxFile {
  readonly where: string;
  readonly text: string;
}

/** Uploads under /etc/nginx/ in a stack's JSON, with Terraform's variables filled in. */
function nginxFiles(stack: string, json: TerraformJson): NginxFile[] {
  const found: NginxFile[] = [];
  for (const [type, resources] of Object.entries(json.resource ?? {})) {
    for (const [id, resource] of Object.entries(resources)) {
      for (const upload of (resource.upload ?? []) as { file: string; content?: string }[]) {
        if (!upload.file.startsWith("/etc/nginx/")) continue;
        const where = `${stack}: ${type}.${id} upload ${upload.file}`;
        if (typeof upload.content !== "string") throw new Error(`${where}: no inline content to check`);
        const text = upload.content.replace(/\$\{var\.tailscale_ip_[a-z0-9_-]+\}/g, SAMPLE_TAILSCALE_IP);
        const leftover = /\$\{[^}]*\}/.exec(text);
        if (leftover) throw new Error(`${where}: has a Terraform expression this test cannot fill in: ${leftover[0]}`);
        found.push({ where, text });
      }
    }
  }
  return found;
}

let dir: string;
beforeAll(() => {
  requireNginx();
  dir = mkdtempSync(join(tmpdir(), "kite-nginx-"));
  chmodSync(dir, 0o755);
});
afterAll(() => dir && rmSync(dir, { recursive: true, force: true }));

/** `nginx -t` on one conf.d file; returns nginx's output and exit code. */
function nginxTest(file: NginxFile, n: number): { code: number; output: string } {
  const prefix = join(dir, `conf-${n}`);
  const confDir = join(prefix, "conf.d");
  mkdirSync(confDir, { recursive: true });
  writeFileSync(join(confDir, "default.conf"), file.text);
  writeFileSync(join(prefix, "nginx.conf"), mainConfig(prefix, confDir));
  const r = spawnSync(requireNginx(), ["-p", prefix, "-c", join(prefix, "nginx.conf"), "-e", join(prefix, "error.log"), "-t"], { encoding: "utf8" });
  return { code: r.status ?? -1, output: `${r.stdout}${r.stderr}` };
}

let counter = 0;

describe("nginx configs synthesized for the homelab", () => {
  const homelab = synthHomelab(kitestacks);
  const stacks: TerraformStack[] = [homelab.stacks.edge, ...homelab.stacks.vms.values(), ...homelab.stacks.hosts.values()];
  const files = stacks.flatMap((s) => nginxFiles(s.node.id, homelab.json(s)));

  it("are one per forwarder the stacks build (none missed by the walk)", () => {
    const forwarders = stacks.flatMap((s) => s.node.findAll().filter((c) => c instanceof ServiceForwarder));
    expect(files).toHaveLength(forwarders.length);
  });

  it("each pass nginx -t", () => {
    const results = files.map((f) => ({ where: f.where, ...nginxTest(f, counter++) }));
    expect(results.filter((r) => r.code !== 0)).toEqual([]);
  });
});

describe("a forwarder as a stack synthesizes it", () => {
  function forwarderJson(title: string): TerraformJson {
    return JSON.parse(
      Testing.synthScope((scope) => {
        new DockerProvider(scope, "docker", {});
        const network = new Network(scope, "network", { name: "kitestacks" });
        const home = new TerraformVariable(scope, "tailscale_ip_home", { type: "string" });
        new ServiceForwarder(scope, "forwarder", {
          service: "forgejo",
          title,
          host: "via",
          homeHost: "home",
          port: 3000,
          homeAddress: home.stringValue,
          homePort: 3000,
          image: { imageId: "sha256:0000", ref: "nginxinc/nginx-unprivileged:1.29-alpine" },
          network,
          dockerHost: "ssh://deploy@via",
        });
      }),
    ) as TerraformJson;
  }

  it("passes nginx -t, with the home address filled in where Terraform will", () => {
    const [file] = nginxFiles("test", forwarderJson("Forgejo"));
    expect(file.text).toContain(SAMPLE_TAILSCALE_IP);
    expect(nginxTest(file, counter++)).toEqual({ code: 0, output: expect.stringContaining("test is successful") });
  });

  it("can fail: nginx -t rejects a broken file with nginx's message", () => {
    const result = nginxTest({ where: "broken", text: "server { listen 3000; location / { proxy_pass; } }\n" }, counter++);
    expect(result.code).not.toBe(0);
    expect(result.output).toMatch(/invalid number of arguments in "proxy_pass"/);
  });
});
