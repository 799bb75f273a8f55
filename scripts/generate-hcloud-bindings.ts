/**
 * Regenerates the hcloud provider bindings (.gen/) from the committed schema, offline.
 *
 * No prebuilt hcloud package exists, and plain `cdktf get` needs Terraform plus registry
 * access. This runs the same code path as `cdktf get --experimental-provider-schema-cache-path`
 * (cdktf's ConstructsMaker reading a schema cache) with a cache built from
 * schemas/hcloud.json, so the output is byte-identical to that command's.
 *
 * Usage: npm run gen:hcloud [-- --out <dir>]   (default: codeMakerOutput of cdktf.json)
 */
import { ConstructsMaker, TerraformProviderConstraint } from "@cdktf/provider-generator";
import { Language } from "@cdktf/commons";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

export const repoRoot = resolve(__dirname, "..");
/** The committed `terraform providers schema -json` output the bindings come from. */
export const hcloudSchemaPath = join(repoRoot, "schemas", "hcloud.json");

interface CdktfJson {
  readonly terraformProviders?: readonly string[];
  readonly codeMakerOutput?: string;
}

function readCdktfJson(): CdktfJson {
  return JSON.parse(readFileSync(join(repoRoot, "cdktf.json"), "utf8")) as CdktfJson;
}

/** The hcloud entry of cdktf.json's terraformProviders, e.g. "hetznercloud/hcloud@~> 1.52". */
export function hcloudProviderEntry(config: CdktfJson = readCdktfJson()): string {
  const entry = config.terraformProviders?.find((p) => p.split("@")[0] === "hetznercloud/hcloud");
  if (!entry) throw new Error('cdktf.json: terraformProviders has no "hetznercloud/hcloud@<constraint>" entry');
  return entry;
}

/**
 * The provider constraint exactly as `cdktf get` builds it. The CLI parses cdktf.json into
 * constraints and wraps each once more (cli-core get.js), which turns its fqn into the bare
 * name ("hcloud"): that fqn names the schema cache file and the key of .gen/constraints.json.
 */
export function cliProviderConstraint(entry: string = hcloudProviderEntry()): TerraformProviderConstraint {
  return new TerraformProviderConstraint(new TerraformProviderConstraint(entry));
}

/** The file name cdktf's schema cache looks up: `hcloud@~%3E%201.52.json` for "~> 1.52". */
export function schemaCacheFileName(constraint: TerraformProviderConstraint): string {
  return `${encodeURIComponent(constraint.fqn)}@${encodeURIComponent(constraint.version ?? "")}.json`;
}

/**
 * Writes a schema cache directory holding the committed schema under the name `cdktf get`
 * expects, so `cdktf get --experimental-provider-schema-cache-path <dir>` works offline too.
 */
export function writeSchemaCache(dir: string, entry: string = hcloudProviderEntry()): string {
  const constraint = cliProviderConstraint(entry);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, schemaCacheFileName(constraint));
  copyFileSync(hcloudSchemaPath, file);
  return file;
}

/** Generates the TypeScript bindings into `outdir` (its hcloud files are replaced). */
export async function generateHcloudBindings(outdir: string): Promise<void> {
  const entry = hcloudProviderEntry();
  const cacheDir = mkdtempSync(join(tmpdir(), "hcloud-schema-cache-"));
  try {
    writeSchemaCache(cacheDir, entry);
    // Stale files of an older schema must not survive a regeneration.
    for (const stale of ["providers/hcloud", "versions.json", "constraints.json"]) {
      rmSync(join(outdir, stale), { recursive: true, force: true });
    }
    const maker = new ConstructsMaker({ codeMakerOutput: outdir, targetLanguage: Language.TYPESCRIPT }, cacheDir);
    await maker.generate([cliProviderConstraint(entry)]);
  } finally {
    rmSync(cacheDir, { recursive: true, force: true });
  }
}

async function main(argv: readonly string[]): Promise<void> {
  const outFlag = argv.indexOf("--out");
  const outdir = resolve(repoRoot, outFlag >= 0 ? argv[outFlag + 1] : readCdktfJson().codeMakerOutput ?? ".gen");
  const started = process.hrtime.bigint();
  await generateHcloudBindings(outdir);
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  console.log(`hcloud bindings written to ${outdir} in ${Math.round(ms)} ms`);
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
