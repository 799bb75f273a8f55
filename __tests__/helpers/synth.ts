import { App, TerraformStack, Testing } from "cdktf";
import { buildHomelab, HomelabStacks } from "../../app";
import { kitestacks } from "../../homelab/homelab";
import { HomelabSpec } from "../../homelab/types";

/** The repo root, where build folders (portal/, metrics/) are found. */
export const repoRoot = `${__dirname}/../..`;

export interface SynthesizedHomelab {
  readonly app: App;
  readonly stacks: HomelabStacks;
  /** The stack's Terraform JSON as a string (what the jest matchers take). */
  readonly synth: (stack: TerraformStack) => string;
  /** The stack's Terraform JSON, parsed. */
  readonly json: (stack: TerraformStack) => TerraformJson;
}

/** The parts of a synthesized stack tests read. */
export interface TerraformJson {
  readonly resource?: Record<string, Record<string, Record<string, any>>>;
  readonly data?: Record<string, Record<string, Record<string, any>>>;
  readonly variable?: Record<string, Record<string, any>>;
  readonly output?: Record<string, Record<string, any>>;
  readonly provider?: Record<string, any[]>;
  readonly terraform?: Record<string, any>;
  readonly locals?: Record<string, any>;
}

const cache = new Map<HomelabSpec, SynthesizedHomelab>();

/**
 * Builds the whole app for a spec and runs prepareStack() on every stack, so cross-stack
 * references (tunnel token, shared secrets) resolve as they do in `cdktf synth`.
 * Results are cached per spec object: tests must not mutate them.
 */
export function synthHomelab(spec: HomelabSpec = kitestacks): SynthesizedHomelab {
  const cached = cache.get(spec);
  if (cached) return cached;
  const app = Testing.app();
  const stacks = buildHomelab(app, spec, { repoRoot });
  app.node
    .findAll()
    .filter(TerraformStack.isStack)
    .forEach((s) => s.prepareStack());
  const texts = new Map<TerraformStack, string>();
  const synth = (stack: TerraformStack) => {
    let text = texts.get(stack);
    if (text === undefined) {
      text = Testing.synth(stack);
      texts.set(stack, text);
    }
    return text;
  };
  const result: SynthesizedHomelab = { app, stacks, synth, json: (stack) => JSON.parse(synth(stack)) };
  cache.set(spec, result);
  return result;
}

/** Resources of one type in a synthesized stack, by logical id. */
export function resourcesOf(json: TerraformJson, type: string): Record<string, Record<string, any>> {
  return json.resource?.[type] ?? {};
}

/** Replaces absolute paths of this checkout so snapshots are machine-independent. */
export function normalizePaths(text: string): string {
  const root = require("node:path").resolve(repoRoot) as string;
  return text.split(root).join("<repo>").split(process.cwd()).join("<cwd>");
}
