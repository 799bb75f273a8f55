/**
 * Regenerates the bindings (.gen/) of the providers that have no prebuilt cdktf package
 * (hcloud, tailscale) from their committed schemas, offline.
 *
 * Plain `cdktf get` needs Terraform plus registry access. This runs the same code path as
 * `cdktf get --experimental-provider-schema-cache-path` (cdktf's ConstructsMaker reading a
 * schema cache) with a cache built from schemas/<name>.json, so the output is byte-identical to
 * that command's. Every provider listed in cdktf.json's terraformProviders must have its schema
 * committed under schemas/, named for the provider (`schemas/hcloud.json`).
 *
 * Usage: npm run gen:providers [-- --out <dir>]   (default: codeMakerOutput of cdktf.json)
 */
import { ConstructsMaker, TerraformProviderConstraint } from "@cdktf/provider-generator";
import { Language } from "@cdktf/commons";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

export const repoRoot = resolve(__dirname, "..");

interface CdktfJson {
  readonly terraformProviders?: readonly string[];
  readonly codeMakerOutput?: string;
}

export function readCdktfJson(): CdktfJson {
  return JSON.parse(readFileSync(join(repoRoot, "cdktf.json"), "utf8")) as CdktfJson;
}

/** One provider generated in-repo: its cdktf.json entry and the schema it comes from. */
export interface GeneratedProvider {
  /** Local name, e.g. "hcloud": the folder under .gen/providers and the schema's file name. */
  readonly name: string;
  /** Registry source, e.g. "hetznercloud/hcloud". */
  readonly source: string;
  /** The cdktf.json entry, e.g. "hetznercloud/hcloud@~> 1.52". */
  readonly entry: string;
  /** schemas/<name>.json: `terraform providers schema -json` plus provider_versions. */
  readonly schemaPath: string;
}

/** Every provider of cdktf.json's terraformProviders, with its committed schema. */
export function generatedProviders(config: CdktfJson = readCdktfJson()): GeneratedProvider[] {
  return (config.terraformProviders ?? []).map((entry) => {
    const source = entry.split("@")[0];
    const name = source.split("/")[1];
    const schemaPath = join(repoRoot, "schemas", `${name}.json`);
    if (!existsSync(schemaPath)) {
      throw new Error(`cdktf.json: terraformProviders lists ${JSON.stringify(entry)} but schemas/${name}.json is missing. Fix: commit its \`terraform providers schema -json\` (docs/vm.md, "hcloud bindings").`);
    }
    return { name, source, entry, schemaPath };
  });
}

/** The provider of cdktf.json named `name` ("hcloud", "tailscale"). */
export function generatedProvider(name: string, config: CdktfJson = readCdktfJson()): GeneratedProvider {
  const found = generatedProviders(config).find((p) => p.name === name);
  if (!found) throw new Error(`cdktf.json: terraformProviders has no entry for a provider named ${JSON.stringify(name)}`);
  return found;
}

/**
 * The provider constraint exactly as `cdktf get` builds it. The CLI parses cdktf.json into
 * constraints and wraps each once more (cli-core get.js), which turns its fqn into the bare
 * name ("hcloud"): that fqn names the schema cache file and the key of .gen/constraints.json.
 */
export function cliProviderConstraint(entry: string): TerraformProviderConstraint {
  return new TerraformProviderConstraint(new TerraformProviderConstraint(entry));
}

/** The file name cdktf's schema cache looks up: `hcloud@~%3E%201.52.json` for "~> 1.52". */
export function schemaCacheFileName(constraint: TerraformProviderConstraint): string {
  return `${encodeURIComponent(constraint.fqn)}@${encodeURIComponent(constraint.version ?? "")}.json`;
}

/**
 * Writes a schema cache directory holding every committed schema under the name `cdktf get`
 * expects, so `cdktf get --experimental-provider-schema-cache-path <dir>` works offline too.
 */
export function writeSchemaCache(dir: string, providers: readonly GeneratedProvider[] = generatedProviders()): string[] {
  mkdirSync(dir, { recursive: true });
  return providers.map((p) => {
    const file = join(dir, schemaCacheFileName(cliProviderConstraint(p.entry)));
    copyFileSync(p.schemaPath, file);
    return file;
  });
}

/** Generates the TypeScript bindings of every in-repo provider into `outdir` (replacing them). */
export async function generateProviderBindings(outdir: string): Promise<void> {
  const providers = generatedProviders();
  const cacheDir = mkdtempSync(join(tmpdir(), "provider-schema-cache-"));
  try {
    writeSchemaCache(cacheDir, providers);
    // Stale files of an older schema (or a provider dropped from cdktf.json) must not survive.
    for (const stale of ["providers", "versions.json", "constraints.json"]) {
      rmSync(join(outdir, stale), { recursive: true, force: true });
    }
    const maker = new ConstructsMaker({ codeMakerOutput: outdir, targetLanguage: Language.TYPESCRIPT }, cacheDir);
    await maker.generate(providers.map((p) => cliProviderConstraint(p.entry)));
  } finally {
    rmSync(cacheDir, { recursive: true, force: true });
  }
}

async function main(argv: readonly string[]): Promise<void> {
  const outFlag = argv.indexOf("--out");
  const outdir = resolve(repoRoot, outFlag >= 0 ? argv[outFlag + 1] : readCdktfJson().codeMakerOutput ?? ".gen");
  const started = process.hrtime.bigint();
  await generateProviderBindings(outdir);
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  console.log(`${generatedProviders().map((p) => p.name).join(", ")} bindings written to ${outdir} in ${Math.round(ms)} ms`);
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
