import { TerraformJson } from "../helpers/synth";

/**
 * Follows cross-stack references back to their origin: a value read through
 * `sensitive(data.terraform_remote_state.cross-stack-reference-input-<stack>.outputs.<output>)` becomes
 * the expression that output holds in the origin stack. Two hosts agree on a value exactly
 * when their resolved expressions are equal.
 */
export function resolveCrossStack(value: string, stacks: ReadonlyMap<string, TerraformJson>): string {
  return value.replace(
    // KiteStack re-marks every cross-stack read sensitive (stacks/kite-stack.ts).
    /\$\{sensitive\(data\.terraform_remote_state\.cross-stack-reference-input-([A-Za-z0-9_-]+)\.outputs\.([A-Za-z0-9_-]+)\)\}/g,
    (_, stack: string, output: string) => {
      const origin = stacks.get(stack);
      const expression = origin?.output?.[output]?.value;
      if (typeof expression !== "string") throw new Error(`cross-stack output ${output} not found in stack ${stack}`);
      return expression;
    },
  );
}

/** `KEY=value` env entries of a container as a map. */
export function envOf(container: Record<string, any>): Record<string, string> {
  return Object.fromEntries(
    (container.env as string[] | undefined ?? []).map((entry) => {
      const eq = entry.indexOf("=");
      return [entry.slice(0, eq), entry.slice(eq + 1)];
    }),
  );
}

/** The container resource with this container name. */
export function containerNamed(json: TerraformJson, name: string): Record<string, any> {
  const found = Object.values(json.resource?.docker_container ?? {}).find((c) => c.name === name);
  if (!found) throw new Error(`no docker_container named ${name}`);
  return found;
}
