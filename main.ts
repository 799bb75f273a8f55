import { App } from "cdktf";
import { resolve } from "node:path";
import { buildHomelab } from "./app";
import { Adoption, ADOPTION_FILE, loadAdoption } from "./homelab/adoption";
import { kitestacks } from "./homelab/homelab";
import { HomelabSpec } from "./homelab/types";
import { validateSpec } from "./homelab/validate";
import { StateBackendConfig, stateBackendFromEnv } from "./stacks/state-backend";

/**
 * Entry point of `cdktf synth|diff|deploy`. KITESTACKS_SPEC=<module> synthesizes another spec
 * (a module exporting `spec`), e.g. to try a change before editing homelab/homelab.ts.
 */
function loadSpec(): HomelabSpec {
  const override = process.env.KITESTACKS_SPEC;
  if (!override) return kitestacks;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require(resolve(override)) as { spec?: HomelabSpec };
  if (!mod.spec) throw new Error(`KITESTACKS_SPEC: ${override} exports no \`spec\`. Fix: export const spec: HomelabSpec = {...}.`);
  return mod.spec;
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

// Check the spec and the backend settings before `new App()`, which creates the outdir: a bad
// input leaves nothing behind, and both lists of problems are reported in one run.
let spec: HomelabSpec | undefined;
let backend: StateBackendConfig | undefined;
let adoption: Adoption | undefined;
const errors: string[] = [];
try {
  spec = validateSpec(loadSpec());
} catch (error) {
  errors.push(message(error));
}
try {
  backend = stateBackendFromEnv(process.env);
} catch (error) {
  errors.push(message(error));
}
// What already runs (docs/adopt.md): imported instead of created. KITESTACKS_ADOPTION names
// another file; without one, ./adoption.json when it exists.
if (spec) {
  try {
    adoption = loadAdoption(resolve(process.env.KITESTACKS_ADOPTION ?? ADOPTION_FILE), spec);
    if (process.env.KITESTACKS_ADOPTION && !adoption) throw new Error(`KITESTACKS_ADOPTION: ${process.env.KITESTACKS_ADOPTION} does not exist. Fix: point it at an adoption file (npm run adopt:discover writes one).`);
  } catch (error) {
    errors.push(message(error));
  }
}

try {
  if (errors.length > 0 || !spec) throw new Error(errors.join("\n"));
  const app = new App();
  buildHomelab(app, spec, { backend, adoption });
  app.synth();
} catch (error) {
  // One clean message (the list of problems), not a stack trace.
  console.error(message(error));
  process.exit(1);
}
