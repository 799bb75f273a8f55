import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import {
  cliProviderConstraint,
  generatedProvider,
  generateProviderBindings,
  repoRoot,
  schemaCacheFileName,
} from "../../scripts/generate-provider-bindings";

/** Every file under a directory, by path relative to it, with its content. */
function tree(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path);
      else files.set(relative(dir, path), readFileSync(path, "utf8"));
    }
  };
  walk(dir);
  return files;
}

const hcloudProvider = generatedProvider("hcloud");
const schema = JSON.parse(readFileSync(hcloudProvider.schemaPath, "utf8"));
const hcloud = schema.provider_schemas["registry.terraform.io/hetznercloud/hcloud"];

describe("hcloud bindings", () => {
  it("the committed .gen is exactly what the committed schemas generate (every in-repo provider)", async () => {
    const out = mkdtempSync(join(tmpdir(), "provider-gen-"));
    try {
      await generateProviderBindings(out);
      const generated = tree(out);
      const committed = tree(join(repoRoot, ".gen"));
      expect([...committed.keys()].sort()).toEqual([...generated.keys()].sort());
      for (const [path, content] of generated) {
        // One assertion per file names the stale file when they differ.
        expect({ path, content: committed.get(path) }).toEqual({ path, content });
      }
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it("looks the schema up under the file name cdktf get uses for the cdktf.json constraint", () => {
    const constraint = cliProviderConstraint(hcloudProvider.entry);
    expect(constraint.version).toBe("~> 1.52");
    expect(schemaCacheFileName(constraint)).toBe("hcloud@~%3E%201.52.json");
  });

  it("pins the provider version the schema was read from", () => {
    expect(schema.provider_versions).toEqual({ "registry.terraform.io/hetznercloud/hcloud": "1.68.0" });
    const versions = JSON.parse(readFileSync(join(repoRoot, ".gen", "versions.json"), "utf8"));
    expect(versions).toMatchObject(schema.provider_versions);
  });

  it("is the whole provider schema (as `terraform providers schema -json` reports it), with the resources the VM stack uses", () => {
    // __tests__/terraform/hcloud-schema.test.ts compares it with the built provider's own output.
    expect(Object.keys(hcloud.resource_schemas)).toEqual(
      expect.arrayContaining(["hcloud_firewall", "hcloud_firewall_attachment", "hcloud_primary_ip", "hcloud_server", "hcloud_ssh_key", "hcloud_volume"]),
    );
    expect(Object.keys(hcloud.data_source_schemas ?? {})).toContain("hcloud_server");
    expect(hcloud.provider.block.attributes.token).toMatchObject({ type: "string", optional: true, sensitive: true });
  });

  it("keeps the provider's flags: ForceNew attributes are optional, ids are numbers, blocks are sets", () => {
    const server = hcloud.resource_schemas.hcloud_server.block;
    expect(server.attributes.name).toMatchObject({ required: true });
    expect(server.attributes.user_data).toEqual({ type: "string", optional: true, description_kind: "plain" });
    expect(server.attributes.ssh_keys.type).toEqual(["list", "string"]);
    expect(server.attributes.firewall_ids).toMatchObject({ type: ["set", "number"], optional: true, computed: true });
    expect(server.attributes.datacenter).toMatchObject({ deprecated: true });
    expect(server.block_types.public_net.nesting_mode).toBe("set");
    expect(Object.keys(server.block_types.public_net.block.attributes).sort()).toEqual(["ipv4", "ipv4_enabled", "ipv6", "ipv6_enabled"]);
    expect(server.block_types.timeouts.block.attributes).toEqual({ create: { type: "string", optional: true, description_kind: "plain" } });
    const rule = hcloud.resource_schemas.hcloud_firewall.block.block_types.rule;
    expect(rule.nesting_mode).toBe("set");
    expect(rule.block.attributes.direction).toMatchObject({ required: true });
    expect(rule.block.attributes.source_ips.type).toEqual(["set", "string"]);
    // Plugin-framework resources: computed ids, labels defaulting to {}.
    expect(hcloud.resource_schemas.hcloud_primary_ip.block.attributes.id).toMatchObject({ type: "number", computed: true });
    expect(hcloud.resource_schemas.hcloud_ssh_key.block.attributes.labels).toMatchObject({ type: ["map", "string"], optional: true, computed: true });
  });
});
