import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";

/**
 * The import rule of this repo: provider classes come from their own module
 * (`@cdktf/provider-cloudflare/lib/dns-record`), never from a package's barrel, which loads
 * every resource of the provider (Cloudflare's alone costs ~0.5 s and ~110 MB per run).
 */

/** Prebuilt provider packages, whose index is a barrel (the generated `.gen/providers/<name>` too). */
export const PROVIDER_BARRELS = [
  "@cdktf/provider-cloudflare",
  "@cdktf/provider-docker",
  "@cdktf/provider-null",
  "@cdktf/provider-random",
];

/** Where the app's own code lives (relative to the repo root). */
export const SCANNED = ["main.ts", "app.ts", "homelab", "constructs", "stacks", "metrics/src", "portal", "bench"];
/** Not scanned: dependencies, generated code, and the benchmark baseline that uses barrels on purpose. */
export const NOT_SCANNED = ["node_modules", ".gen", "bench/baseline", "dist"];

export interface BarrelImport {
  readonly file: string;
  /** 1-based. */
  readonly line: number;
  readonly module: string;
  readonly text: string;
}

const quoted = (m: string) => m.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
const MODULE = `(${PROVIDER_BARRELS.map(quoted).join("|")}|(?:\\.{1,2}/)+(?:[\\w.-]+/)*\\.gen/providers/[\\w-]+)`;
/** `from "x"`, `require("x")`, `import("x")`, `import "x"` with x exactly a barrel. */
const BARREL = new RegExp(`(?:\\bfrom\\s*|\\brequire\\s*\\(\\s*|\\bimport\\s*\\(\\s*|^\\s*import\\s+)(["'\`])${MODULE}\\1`, "g");

/** Every barrel import in a source text, one per offending line. */
export function findBarrelImports(source: string, file: string): BarrelImport[] {
  const found: BarrelImport[] = [];
  source.split("\n").forEach((text, i) => {
    for (const match of text.matchAll(BARREL)) found.push({ file, line: i + 1, module: match[2], text: text.trim() });
  });
  return found;
}

/** The .ts files under the scanned paths, relative to `root`. */
export function scannedFiles(root: string): string[] {
  const files: string[] = [];
  const skip = (rel: string) => NOT_SCANNED.some((n) => rel === n || rel.startsWith(`${n}/`) || rel.split("/").includes(n));
  const walk = (rel: string) => {
    if (skip(rel)) return;
    let stat;
    try {
      stat = statSync(join(root, rel));
    } catch {
      return; // a scanned folder that does not exist yet
    }
    if (stat.isDirectory()) for (const entry of readdirSync(join(root, rel))) walk(`${rel}/${entry}`);
    else if (/\.tsx?$/.test(rel) && !rel.endsWith(".d.ts")) files.push(rel);
  };
  SCANNED.forEach(walk);
  return files.sort();
}

/** Barrel imports of the whole repo, as `file:line: text`. */
export function barrelImportsIn(root: string): string[] {
  return scannedFiles(root).flatMap((file) =>
    findBarrelImports(readFileSync(join(root, file), "utf8"), relative(root, join(root, file))).map((b) => `${b.file}:${b.line}: ${b.text}`),
  );
}
