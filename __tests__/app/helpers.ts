import { App } from "cdktf";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";
import { buildHomelab, HomelabStacks } from "../../app";
import { HomelabSpec } from "../../homelab/types";
import { StateBackendConfig } from "../../stacks/state-backend";

/** The repo root: main.ts, node_modules and the spec's build folders are found from here. */
export const repoRoot = resolve(__dirname, "../..");

/** What cdktf writes to manifest.json (the parts tests read). */
export interface Manifest {
  readonly stacks: Record<string, { readonly name: string; readonly dependencies: readonly string[]; readonly synthesizedStackPath: string }>;
}

/** A real `app.synth()` into a temporary outdir, read back from disk. */
export interface SynthOutput {
  readonly outdir: string;
  readonly stacks: HomelabStacks;
  readonly manifest: Manifest;
  /** cdk.tf.json text by stack name. */
  readonly texts: ReadonlyMap<string, string>;
  /** cdk.tf.json parsed, by stack name. */
  readonly json: ReadonlyMap<string, any>;
}

const tempDirs: string[] = [];

/** A fresh temporary directory, removed by {@link removeTempDirs}. */
export function tempDir(prefix = "kitestacks-test-"): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  tempDirs.push(dir);
  return dir;
}

export function removeTempDirs(): void {
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** Synthesizes the whole app the way `cdktf synth` does (prepareStack, manifest, files). */
export function synthToDisk(spec: HomelabSpec, backend?: StateBackendConfig): SynthOutput {
  const outdir = join(tempDir(), "cdktf.out");
  const app = new App({ outdir });
  const stacks = buildHomelab(app, spec, { repoRoot, backend });
  app.synth();
  return readOutdir(outdir, stacks);
}

/** Reads manifest.json and every stack's cdk.tf.json of an outdir. */
export function readOutdir(outdir: string, stacks?: HomelabStacks): SynthOutput {
  const manifest = JSON.parse(readFileSync(join(outdir, "manifest.json"), "utf8")) as Manifest;
  const texts = new Map<string, string>();
  for (const [name, stack] of Object.entries(manifest.stacks)) {
    texts.set(name, readFileSync(join(outdir, stack.synthesizedStackPath), "utf8"));
  }
  const json = new Map([...texts].map(([name, text]) => [name, JSON.parse(text)]));
  return { outdir, stacks: stacks as HomelabStacks, manifest, texts, json };
}

/** Every file under a directory (relative paths); [] when it does not exist. */
export function filesUnder(dir: string): string[] {
  let entries;
  try {
    entries = readdirSync(dir, { recursive: true, withFileTypes: true });
  } catch {
    return [];
  }
  return entries.filter((e) => e.isFile()).map((e) => relative(dir, join(e.parentPath, e.name)));
}

/** Stacks each stack waits for, directly or through others (from the manifest). */
export function ancestors(manifest: Manifest, stack: string): Set<string> {
  const seen = new Set<string>();
  const visit = (name: string) => {
    for (const dep of manifest.stacks[name]?.dependencies ?? []) {
      if (!seen.has(dep)) {
        seen.add(dep);
        visit(dep);
      }
    }
  };
  visit(stack);
  return seen;
}
