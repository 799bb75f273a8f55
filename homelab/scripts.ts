import { readFileSync } from "node:fs";
import { join } from "node:path";

/** Shell functions steps share, prepended to the scripts that ask for them. */
const LIB_DIR = join(__dirname, "services", "lib");

/**
 * The text of a post-start step: `file` beside the service (`dir` is the service's folder,
 * `__dirname` of its entry), after any shared `libs` from homelab/services/lib/. Read at
 * synth time, so the scripts are real files that shellcheck and `sh -n` check.
 */
export function stepScript(dir: string, file: string, libs: readonly string[] = []): string {
  const parts = [...libs.map((lib) => readFileSync(join(LIB_DIR, lib), "utf8")), readFileSync(join(dir, file), "utf8")];
  return parts.join("\n");
}
