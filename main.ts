import { App } from "cdktf";
import { resolve } from "node:path";
import { buildHomelab } from "./app";
import { kitestacks } from "./spec/homelab";
import { HomelabSpec } from "./spec/types";
import { stateBackendFromEnv } from "./stacks/state-backend";

/**
 * Entry point of `cdktf synth|diff|deploy`. KITESTACKS_SPEC=<module> synthesizes another spec
 * (a module exporting `spec`), e.g. to try a change before editing spec/homelab.ts.
 */
function loadSpec(): HomelabSpec {
  const override = process.env.KITESTACKS_SPEC;
  if (!override) return kitestacks;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require(resolve(override)) as { spec?: HomelabSpec };
  if (!mod.spec) throw new Error(`KITESTACKS_SPEC: ${override} exports no \`spec\`. Fix: export const spec: HomelabSpec = {...}.`);
  return mod.spec;
}

try {
  const app = new App();
  buildHomelab(app, loadSpec(), { backend: stateBackendFromEnv(process.env) });
  app.synth();
} catch (error) {
  // One clean message (the list of problems), not a stack trace.
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
