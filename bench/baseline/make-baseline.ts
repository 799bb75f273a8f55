import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";

/**
 * The synth benchmark's baseline: this app as the cdktf TypeScript template runs it by
 * default, i.e. `npx ts-node main.ts` (type-checking) with provider classes imported from each
 * package's barrel. Built at bench time from the current code, so both sides synthesize the
 * very same stacks; only the import form and the runner differ.
 *
 * A deep import
 *   import { DnsRecord, DnsRecordConfig } from "@cdktf/provider-cloudflare/lib/dns-record";
 * becomes the template's barrel form, with an alias so the rest of the file is untouched and
 * still type-checks (an import alias carries both the class and its type):
 *   import { dnsRecord as __barrel_cloudflare_dnsRecord } from "@cdktf/provider-cloudflare";
 *   import DnsRecord = __barrel_cloudflare_dnsRecord.DnsRecord;
 *   import DnsRecordConfig = __barrel_cloudflare_dnsRecord.DnsRecordConfig;
 * The generated hcloud bindings (`.gen/providers/hcloud/server`) get the same treatment.
 */

/** The template's default app command. */
export const TEMPLATE_APP = "npx ts-node main.ts";

/** Namespace export of each module folder of a barrel: `dns-record` → `dnsRecord`. */
export function barrelNamespaces(indexSource: string): Map<string, string> {
  const names = new Map<string, string>();
  // Prebuilt packages (lib/index.js): exports.dnsRecord = require("./dns-record");
  for (const m of indexSource.matchAll(/exports\.(\w+)\s*=\s*require\("\.\/([\w-]+)"\)/g)) names.set(m[2], m[1]);
  // Generated bindings (index.ts): export * as server from './server';
  for (const m of indexSource.matchAll(/export \* as (\w+) from ['"]\.\/([\w-]+)['"]/g)) names.set(m[2], m[1]);
  return names;
}

/** A deep provider import: the package (or .gen path) and the module folder. */
const DEEP_IMPORT =
  /import\s+(type\s+)?(\{[^}]*\}|\*\s+as\s+\w+)\s+from\s+["']((?:@cdktf\/provider-[a-z0-9-]+)\/lib|(?:\.{1,2}\/)+(?:[\w.-]+\/)*\.gen\/providers\/[\w-]+)\/([\w-]+)["'];?/g;

/**
 * Rewrites every deep provider import of a source file to the barrel form.
 * `namespacesOf(barrel)` gives the namespace names of a barrel (package or .gen path).
 */
export function rewriteToBarrels(source: string, namespacesOf: (barrel: string) => Map<string, string>): string {
  return source.replace(DEEP_IMPORT, (_all, _type: string | undefined, what: string, base: string, folder: string) => {
    const barrel = base.endsWith("/lib") ? base.slice(0, -"/lib".length) : base;
    const ns = namespacesOf(barrel).get(folder);
    if (!ns) throw new Error(`baseline: ${barrel} exports no namespace for ${folder}`);
    const tag = barrel.replace(/^.*[/-]/, "");
    if (what.startsWith("*")) {
      return `import { ${ns} as ${what.replace(/^\*\s+as\s+/, "")} } from "${barrel}";`;
    }
    const alias = `__barrel_${tag}_${ns}`;
    const lines = [`import { ${ns} as ${alias} } from "${barrel}";`];
    for (const spec of what.slice(1, -1).split(",").map((s) => s.trim()).filter(Boolean)) {
      const [name, local] = spec.replace(/^type\s+/, "").split(/\s+as\s+/);
      lines.push(`import ${local ?? name} = ${alias}.${name};`);
    }
    return lines.join("\n");
  });
}

/** .ts files under a folder, without dependencies. */
function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (entry === "node_modules") return [];
    if (statSync(path).isDirectory()) return tsFiles(path);
    return /\.ts$/.test(entry) && !entry.endsWith(".d.ts") ? [path] : [];
  });
}

/**
 * A snapshot of the app at a commit (`git archive`), with the repo's node_modules linked. The
 * benchmark measures a commit, not a working tree other people are editing at the same time.
 */
export function snapshotCommit(repoRoot: string, dir: string, ref = "HEAD"): string {
  mkdirSync(dir, { recursive: true });
  const archive = spawnSync("git", ["-C", repoRoot, "archive", "--format=tar", ref], { maxBuffer: 1 << 30 });
  if (archive.status !== 0) throw new Error(`git archive ${ref}: ${archive.stderr}`);
  const untar = spawnSync("tar", ["-x", "-C", dir], { input: archive.stdout });
  if (untar.status !== 0) throw new Error(`tar: ${untar.stderr}`);
  symlinkSync(join(repoRoot, "node_modules"), join(dir, "node_modules"), "dir");
  const rev = spawnSync("git", ["-C", repoRoot, "rev-parse", "--short", ref], { encoding: "utf8" });
  return rev.stdout.trim();
}

/** A copy of a snapshot, sharing its node_modules. */
function copySnapshot(from: string, dir: string): void {
  cpSync(from, dir, { recursive: true, filter: (src) => src !== join(from, "node_modules") });
  symlinkSync(realpathSync(join(from, "node_modules")), join(dir, "node_modules"), "dir");
}

export interface Baseline {
  readonly dir: string;
  /** Files whose imports were rewritten. */
  readonly rewrittenFiles: number;
  /** Barrel imports in the copy (deep provider imports left: none). */
  readonly barrelImports: number;
}

/**
 * Copies a snapshot into `dir` with barrel imports and the template's cdktf.json app command;
 * node_modules is shared, so both sides use the same packages.
 */
export function makeBaseline(snapshot: string, dir: string): Baseline {
  copySnapshot(snapshot, dir);

  const cache = new Map<string, Map<string, string>>();
  const namespacesFor = (file: string) => (barrel: string) => {
    const index = barrel.startsWith("@")
      ? join(snapshot, "node_modules", barrel, "lib", "index.js")
      : resolve(dirname(file), barrel, "index.ts");
    let names = cache.get(index);
    if (!names) {
      if (!existsSync(index)) throw new Error(`baseline: no barrel at ${relative(dir, index)}`);
      names = barrelNamespaces(readFileSync(index, "utf8"));
      cache.set(index, names);
    }
    return names;
  };

  let rewrittenFiles = 0;
  let barrelImports = 0;
  // Tests and benchmarks are not part of the app that synthesizes; .gen holds the barrels.
  const appFiles = tsFiles(dir).filter((f) => !/^(\.gen|__tests__|bench)\//.test(relative(dir, f)));
  for (const file of appFiles) {
    const source = readFileSync(file, "utf8");
    const rewritten = rewriteToBarrels(source, namespacesFor(file));
    DEEP_IMPORT.lastIndex = 0;
    if (DEEP_IMPORT.test(rewritten)) throw new Error(`baseline: ${relative(dir, file)} still has a deep provider import`);
    if (rewritten !== source) {
      writeFileSync(file, rewritten);
      rewrittenFiles++;
      barrelImports += (rewritten.match(/^import \{ \w+ as \w+ \} from /gm) ?? []).length;
    }
  }
  const cdktfJson = JSON.parse(readFileSync(join(dir, "cdktf.json"), "utf8"));
  writeFileSync(join(dir, "cdktf.json"), JSON.stringify({ ...cdktfJson, app: TEMPLATE_APP }, null, 2));
  return { dir, rewrittenFiles, barrelImports };
}
