import { Document, isCollection, Node, Pair, Scalar, YAMLMap, YAMLSeq } from "yaml";
import { yaml11Document, yaml11String } from "./yaml-1-1";

/**
 * Authentik blueprints as typed values, rendered to YAML with Authentik's custom tags emitted
 * as real YAML tags (`!Find [...]`, `!KeyOf id`, `!File path`), never as strings. Objects are
 * referenced by lookups, never by primary keys, so one file works on any Authentik database.
 * Format: goauthentik.io/docs/customize/blueprints (version 1).
 */

/** A value Authentik resolves when it applies the blueprint. */
export class BlueprintTag {
  private constructor(
    /** The YAML tag, e.g. `!Find`. */
    public readonly tag: "!Find" | "!KeyOf" | "!File",
    /** A scalar argument, or the sequence of arguments. */
    public readonly argument: string | readonly (string | readonly string[])[],
  ) {}

  /** `!Find [model, [field, value], ...]`: the primary key of the object matching every pair. */
  static find(model: string, ...conditions: readonly (readonly [string, string])[]): BlueprintTag {
    return new BlueprintTag("!Find", [model, ...conditions.map((c) => [...c])]);
  }

  /** `!KeyOf id`: the primary key of the object another entry of the same blueprint made. */
  static keyOf(entryId: string): BlueprintTag {
    return new BlueprintTag("!KeyOf", entryId);
  }

  /** `!File path`: the content of a file on the worker, trailing whitespace stripped. */
  static file(path: string): BlueprintTag {
    return new BlueprintTag("!File", path);
  }
}

export type BlueprintValue =
  | string
  | number
  | boolean
  | BlueprintTag
  | readonly BlueprintValue[]
  | { readonly [key: string]: BlueprintValue };

/** What Authentik does with an entry's object. */
export type BlueprintEntryState = "present" | "created" | "must_created" | "absent";

export interface BlueprintEntry {
  /** `app_label.model`, e.g. `authentik_core.application`. */
  readonly model: string;
  /** Name other entries use with `!KeyOf`. @default none */
  readonly id?: string;
  /** @default "present" (kept in sync with the file) */
  readonly state?: BlueprintEntryState;
  /** Fields that find the one object this entry manages. */
  readonly identifiers: { readonly [field: string]: BlueprintValue };
  /** Fields set on it. @default {} */
  readonly attrs?: { readonly [field: string]: BlueprintValue };
}

export interface AuthentikBlueprint {
  readonly version: 1;
  readonly metadata: { readonly name: string; readonly labels: { readonly [label: string]: string } };
  readonly entries: readonly BlueprintEntry[];
}

/**
 * Blueprint YAML: one document, no line folding (long URLs stay on one line). YAML 1.1, since
 * Authentik loads blueprints with PyYAML (`authentik/blueprints/v1/common.py` BlueprintLoader).
 */
export function renderBlueprint(blueprint: AuthentikBlueprint): string {
  const doc = yaml11Document();
  doc.contents = toNode(doc, blueprint as unknown as BlueprintValue) as YAMLMap;
  return yaml11String(doc);
}

function toNode(doc: Document, value: BlueprintValue): Node {
  if (value instanceof BlueprintTag) {
    const node = doc.createNode(value.argument) as Node;
    node.tag = value.tag;
    // `!Find [model, [field, value]]`, the form Authentik's docs use.
    if (isCollection(node)) node.flow = true;
    return node;
  }
  if (Array.isArray(value)) {
    const seq = new YAMLSeq();
    for (const item of value as readonly BlueprintValue[]) seq.items.push(toNode(doc, item));
    return seq;
  }
  if (typeof value === "object") {
    const map = new YAMLMap();
    for (const [key, item] of Object.entries(value as { readonly [key: string]: BlueprintValue })) {
      if (item !== undefined) map.items.push(new Pair(new Scalar(key), toNode(doc, item)));
    }
    return map;
  }
  return new Scalar(value);
}
