import { appSettingsOf } from "../helpers/app-settings";
import { parse, Scalar, Tags, YAMLSeq } from "yaml";
import { TerraformJson, resourcesOf } from "../helpers/synth";
import { HomelabSpec, ServiceSpec } from "../../homelab/types";

/** `!Find [model, [field, value]...]` as parsed back. */
export class FindTag {
  constructor(public readonly model: string, public readonly conditions: readonly (readonly [string, unknown])[]) {}
}
/** `!KeyOf id` as parsed back. */
export class KeyOfTag {
  constructor(public readonly id: string) {}
}
/** `!File path` as parsed back. */
export class FileTag {
  constructor(public readonly path: string) {}
}
/** `!Env name` as parsed back. */
export class EnvTag {
  constructor(public readonly name: string) {}
}

/**
 * Authentik's blueprint tags for the yaml parser: what Authentik's own loader accepts. A tag
 * written as a string ("!Find [...]" quoted) would not reach these and stays a string.
 */
export const BLUEPRINT_TAGS: Tags = [
  {
    tag: "!Find",
    collection: "seq",
    resolve: (value) => {
      const [model, ...conditions] = (value as YAMLSeq).toJSON() as [string, ...[string, unknown][]];
      return new FindTag(model, conditions);
    },
  },
  { tag: "!KeyOf", resolve: (value: string) => new KeyOfTag(value) },
  { tag: "!File", resolve: (value: string) => new FileTag(value) },
  { tag: "!Env", resolve: (value: string) => new EnvTag(value) },
];

/** A parsed blueprint entry (values may be the tag classes above). */
export interface ParsedEntry {
  readonly model: string;
  readonly id?: string;
  readonly state?: string;
  readonly identifiers: Record<string, any>;
  readonly attrs?: Record<string, any>;
}

export interface ParsedBlueprint {
  readonly version: number;
  readonly metadata: { readonly name: string; readonly labels: Record<string, string> };
  readonly entries: readonly ParsedEntry[];
}

/** Parses blueprint YAML strictly: unknown tags and duplicate keys are errors. */
export function parseBlueprint(text: string): ParsedBlueprint {
  // YAML 1.1, as Authentik's PyYAML loader reads it (the real loader: __tests__/generated-files/yaml-1-1.test.ts).
  return parse(text, { version: "1.1", customTags: BLUEPRINT_TAGS, strict: true, uniqueKeys: true, prettyErrors: true }) as ParsedBlueprint;
}

/** The one entry of a model (fails the test when there is not exactly one). */
export function entryOf(bp: ParsedBlueprint, model: string): ParsedEntry {
  const found = bp.entries.filter((e) => e.model === model);
  if (found.length !== 1) throw new Error(`expected one ${model} entry, found ${found.length}`);
  return found[0];
}

/** The spec's OIDC apps: tests loop over these, never over a hand-written list. */
export function oidcServices(spec: HomelabSpec): ServiceSpec[] {
  return spec.services.filter((s) => s.sso.mode === "oidc");
}

/** A docker_container of a synthesized stack by container name, with its logical id. */
export function containerNamed(json: TerraformJson, name: string): { id: string; body: Record<string, any> } {
  const found = Object.entries(resourcesOf(json, "docker_container")).filter(([, c]) => c.name === name);
  if (found.length !== 1) throw new Error(`expected one container named ${name}, found ${found.length}`);
  return { id: found[0][0], body: found[0][1] };
}

/** `K=V` env entries of a container as a record, secrets passed as files read back (appSettingsOf). */
export function envOf(container: Record<string, any>): Record<string, string> {
  return appSettingsOf(container);
}

/** A post-start terraform_data and its local-exec. */
export interface SynthesizedStep {
  readonly id: string;
  readonly triggers: Record<string, string>;
  readonly command: string;
  readonly environment: Record<string, string>;
}

/** The post-start steps whose trigger is this container's id (not its pids limit, constructs/pids-limit.ts). */
export function stepsFor(json: TerraformJson, containerId: string): SynthesizedStep[] {
  return Object.entries(resourcesOf(json, "terraform_data"))
    .filter(([, r]) => r.triggers_replace?.container_id === `\${docker_container.${containerId}.id}` && r.triggers_replace?.pids_limit === undefined)
    .map(([id, r]) => {
      const exec = r.provisioner[0]["local-exec"];
      return { id, triggers: r.triggers_replace, command: exec.command, environment: exec.environment ?? {} };
    });
}

/** A Terraform reference and nothing else, e.g. `${random_password.x.result}` (optionally prefixed). */
export const ONLY_A_REFERENCE = /^(base64:)?\$\{[^${}]+\}$/;

/** Names that carry secrets by convention (env vars, step env). */
export const SECRET_NAME = /(SECRET|PASSWORD|PASSWD|TOKEN|_KEY)$/;

/** Flags whose names look secret but whose value is a switch, not a secret. */
export const SECRET_LOOKING_FLAGS = new Set(["MARIADB_RANDOM_ROOT_PASSWORD"]);

/** Scalars that cannot occur in a blueprint with no hard-coded primary keys. */
export function scalarsOf(value: unknown): unknown[] {
  if (value instanceof Scalar) return [value.value];
  if (Array.isArray(value)) return value.flatMap(scalarsOf);
  if (value instanceof FindTag) return [value.model, ...value.conditions.flat()];
  if (value && typeof value === "object" && !(value instanceof KeyOfTag) && !(value instanceof FileTag)) {
    return Object.entries(value).flatMap(([k, v]) => [k, ...scalarsOf(v)]);
  }
  return [value];
}
