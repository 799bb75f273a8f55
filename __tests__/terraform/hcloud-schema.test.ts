/**
 * The committed hcloud schema (what .gen is generated from, npm run gen:providers) is exactly
 * what the real hcloud provider reports: `terraform providers schema -json` with the pinned
 * provider built from its Go module.
 */
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { generatedProvider } from "../../scripts/generate-provider-bindings";
import { PROVIDER_RECIPES } from "../../scripts/terraform-toolchain";
import { runTerraform, tempDir, terraformToolchain } from "./terraform";

const ADDRESS = "registry.terraform.io/hetznercloud/hcloud";

test("schemas/hcloud.json equals the schema the pinned hcloud provider reports", async () => {
  const tc = await terraformToolchain();
  const recipe = PROVIDER_RECIPES.find((r) => r.name === "hcloud")!;
  const committed = JSON.parse(readFileSync(generatedProvider("hcloud").schemaPath, "utf8"));
  // provider_versions is what cdktf get reads from the lock file; it names the provider read.
  expect(committed.provider_versions).toEqual({ [ADDRESS]: recipe.version });

  const dir = tempDir("hcloud-schema");
  try {
    writeFileSync(
      join(dir, "main.tf.json"),
      JSON.stringify({ terraform: { required_providers: { hcloud: { source: recipe.source, version: recipe.version } } } }),
    );
    const init = runTerraform(tc, dir, ["init", "-input=false", "-no-color"]);
    expect(init.stderr).toBe("");
    expect(init.status).toBe(0);
    const r = runTerraform(tc, dir, ["providers", "schema", "-json"]);
    expect(r.status).toBe(0);
    const real = JSON.parse(r.stdout);
    expect(Object.keys(real.provider_schemas)).toEqual([ADDRESS]);
    // One assertion per part, so a difference names the resource or data source.
    const mine = committed.provider_schemas[ADDRESS];
    const theirs = real.provider_schemas[ADDRESS];
    expect(committed.format_version).toBe(real.format_version);
    expect(Object.keys(mine).sort()).toEqual(Object.keys(theirs).sort());
    expect(mine.provider).toEqual(theirs.provider);
    for (const kind of ["resource_schemas", "data_source_schemas", "functions"]) {
      expect(Object.keys(mine[kind] ?? {}).sort()).toEqual(Object.keys(theirs[kind] ?? {}).sort());
      for (const [name, schema] of Object.entries(theirs[kind] ?? {})) expect({ [name]: mine[kind][name] }).toEqual({ [name]: schema });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
