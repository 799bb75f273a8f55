import { TerraformStack } from "cdktf";
// The resolver cdktf itself runs on every element when it synthesizes a stack.
import { resolve } from "cdktf/lib/_tokens";
import { IConstruct } from "constructs";
import { BlueprintTag, BlueprintValue } from "../../constructs/authentik-blueprint";
import { DockerHostCloudInit } from "../../constructs/cloud-init-docker-host";
import { OidcApp } from "../../constructs/oidc-app";
import { PyYamlReader } from "../helpers/pyyaml";
import { SynthesizedHomelab } from "../helpers/synth";
import { SAMPLE_VARS } from "../vm/helpers";

/** One YAML document found in a synthesized stack, with what its consumer should read from it. */
export interface GeneratedYaml {
  /** `<stack>: <resource address> <field>` for messages. */
  readonly where: string;
  readonly reader: PyYamlReader;
  /** The text as the consumer receives it (Terraform's part played with sample values). */
  readonly text: string;
  /** The value the code meant, from the construct that built the document. */
  readonly intended: unknown;
}

/** cdktf's expression for a person-supplied variable inside user_data. */
const VARIABLE_EXPRESSION = /\$\{jsonencode\(var\.([a-z0-9_]+)\)\}/g;

/** Plays Terraform on user_data: each `${jsonencode(var.x)}` becomes the JSON of a sample value. */
export function renderVariables(text: string, where: string): string {
  const rendered = text.replace(VARIABLE_EXPRESSION, (_, name: string) => {
    if (!(name in SAMPLE_VARS)) throw new Error(`${where}: uses var.${name}, which has no sample value in __tests__/vm/helpers.ts SAMPLE_VARS`);
    return JSON.stringify(SAMPLE_VARS[name]);
  });
  const leftover = /[$%]\{[^}]*\}?/.exec(rendered);
  if (leftover) throw new Error(`${where}: has a template expression this test cannot render: ${leftover[0]}`);
  return rendered;
}

/** The intended value of a construct's document: tokens resolved and variables replaced by their samples. */
function intendedValue(stack: TerraformStack, value: unknown, where: string): unknown {
  const resolved = resolve(stack, value);
  const walk = (v: unknown): unknown => {
    if (typeof v === "string") {
      const whole = /^\$\{jsonencode\(var\.([a-z0-9_]+)\)\}$/.exec(v);
      if (whole) return SAMPLE_VARS[whole[1]];
      if (v.includes("${")) throw new Error(`${where}: intended value has an expression this test cannot render: ${v}`);
      return v;
    }
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).filter(([, x]) => x !== undefined).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return walk(resolved);
}

/** A blueprint value as the PyYAML helper reads it: `{"!Tag": argument}` for each tag. */
export function blueprintIntended(value: BlueprintValue): unknown {
  if (value instanceof BlueprintTag) return { [value.tag]: JSON.parse(JSON.stringify(value.argument)) };
  if (Array.isArray(value)) return value.map((v) => blueprintIntended(v as BlueprintValue));
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value as Record<string, BlueprintValue>)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => [k, blueprintIntended(v)]),
    );
  }
  return value;
}

function constructsOf<T>(stack: TerraformStack, type: abstract new (...args: any[]) => T): T[] {
  return stack.node.findAll().filter((c: IConstruct): c is IConstruct & T => c instanceof type) as T[];
}

/**
 * Every YAML document in every synthesized stack, found by walking the Terraform JSON (not from
 * a list kept by hand): hcloud user_data and files uploaded into containers whose name ends in
 * .yaml/.yml. Each must be claimed by a construct that says what it means; an unclaimed one
 * fails, so a new YAML producer cannot slip past the PyYAML check.
 */
export function generatedYaml(homelab: SynthesizedHomelab): GeneratedYaml[] {
  const stacks: TerraformStack[] = [homelab.stacks.edge, ...homelab.stacks.vms.values(), ...homelab.stacks.hosts.values()];
  const found: GeneratedYaml[] = [];
  for (const stack of stacks) {
    const json = homelab.json(stack);
    const name = stack.node.id;
    const cloudInits = constructsOf(stack, DockerHostCloudInit);
    const oidcApps = constructsOf(stack, OidcApp);
    for (const [type, resources] of Object.entries(json.resource ?? {})) {
      for (const [id, resource] of Object.entries(resources)) {
        if (typeof resource.user_data === "string") {
          const where = `${name}: ${type}.${id} user_data`;
          const claim = cloudInits.find((c) => resolve(stack, c.userData) === resource.user_data);
          if (!claim) throw new Error(`${where}: no DockerHostCloudInit in the stack produced this user_data`);
          found.push({ where, reader: "cloud-init", text: renderVariables(resource.user_data, where), intended: intendedValue(stack, claim.document, where) });
        }
        for (const upload of (resource.upload ?? []) as { file: string; content?: string }[]) {
          if (!/\.ya?ml$/i.test(upload.file)) continue;
          const where = `${name}: ${type}.${id} upload ${upload.file}`;
          const claim = oidcApps.find((a) => a.blueprintPath === upload.file);
          if (!claim) throw new Error(`${where}: a YAML file no construct claims; say who reads it and add it to __tests__/generated-files/yaml-documents.ts`);
          if (upload.content !== claim.blueprintYaml) throw new Error(`${where}: content differs from OidcApp ${claim.slug}'s blueprint`);
          found.push({ where, reader: "authentik", text: upload.content, intended: blueprintIntended(claim.blueprint as unknown as BlueprintValue) });
        }
      }
    }
  }
  return found;
}
