import { Document, isCollection, Scalar, visit } from "yaml";

/**
 * YAML for consumers that read YAML 1.1 with PyYAML: cloud-init (`cloudinit/util.py`
 * `load_yaml` → `yaml.safe_load`) and Authentik blueprints (`authentik/blueprints/v1/common.py`
 * `BlueprintLoader(SafeLoader)`). Under YAML 1.1 a plain `on`, `yes`, `0644`, `1:30` or
 * `2001-12-14` is not a string; the `yaml` package's 1.1 schema quotes those.
 *
 * It leaves a few PyYAML readings unquoted, so these are forced into double quotes:
 * - `=` and `<<`: PyYAML's resolver types them `tag:yaml.org,2002:value` / `merge`
 *   (`yaml/resolver.py`), and SafeLoader fails on either as a value ("could not determine a
 *   constructor"); the `yaml` package's merge tag would even write the string `<<` plain, so
 *   the document drops that tag (these documents never merge);
 * - in flow collections (`!Find [model, [field, value]]`) anything but a simple word: PyYAML's
 *   flow scanner refuses plain scalars the `yaml` package allows there, such as `:x`;
 * - anything outside printable ASCII (tab, CR, NEL, U+2028/9, BOM, C1 controls, any non-ASCII):
 *   PyYAML splits a plain scalar at a tab and treats NEL/U+2028/U+2029 as line breaks.
 * In double quotes the `yaml` package writes those last characters raw, which PyYAML would
 * still fold into spaces, so they are written as `\uXXXX` escapes (`yaml/scanner.py`
 * `ESCAPE_CODES`), and characters PyYAML's reader refuses outright (`yaml/reader.py`
 * `NON_PRINTABLE`) the same way.
 */

/** Plain strings the yaml package's 1.1 schema does not quote but PyYAML does not read as strings. */
const PYYAML_SPECIAL_PLAIN = new Set(["=", "<<"]);
/** In a flow collection, only these stay plain. */
const FLOW_PLAIN_SAFE = /^[A-Za-z0-9_./](?:[A-Za-z0-9_./@+ -]*[A-Za-z0-9_./@+-])?$/;
/** A string holding any of these goes in double quotes. */
const NOT_PLAIN_SAFE = /[^\x20-\x7e\n]/;
/** Characters that must be escaped even inside double quotes. */
const ESCAPE_IN_QUOTES = /[\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]/g;

export interface Yaml11Options {
  /** Fold long lines at this width; 0 never folds (a Terraform token is never split). @default 0 */
  readonly lineWidth?: number;
}

/** A YAML 1.1 document for `value`, ready for tags or tweaks before {@link yaml11String}. */
export function yaml11Document(value?: unknown): Document {
  // No `%YAML 1.1` directive is written unless asked; the version only picks the schema.
  return new Document(value, { version: "1.1", customTags: (tags) => tags.filter((t) => typeof t === "string" || t.tag !== "tag:yaml.org,2002:merge") });
}

/** Serializes a YAML 1.1 document so PyYAML reads back exactly the values it holds. */
export function yaml11String(doc: Document, options: Yaml11Options = {}): string {
  if (doc.schema.name !== "yaml-1.1") throw new Error(`yaml11String: the document uses the ${doc.schema.name} schema; build it with yaml11Document()`);
  visit(doc, {
    Scalar(_key, node: Scalar, path) {
      if (typeof node.value !== "string") return;
      const inFlow = path.some((p) => isCollection(p) && p.flow);
      if (PYYAML_SPECIAL_PLAIN.has(node.value) || NOT_PLAIN_SAFE.test(node.value) || (inFlow && !FLOW_PLAIN_SAFE.test(node.value))) {
        node.type = Scalar.QUOTE_DOUBLE;
      }
    },
  });
  const text = doc.toString({ lineWidth: options.lineWidth ?? 0, minContentWidth: 0 });
  // Every string with such a character is double-quoted above, so each occurrence is inside
  // a double-quoted scalar, where `\uXXXX` means that character.
  return text.replace(ESCAPE_IN_QUOTES, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/** `value` as YAML 1.1 (see {@link yaml11String}). */
export function stringifyYaml11(value: unknown, options: Yaml11Options = {}): string {
  return yaml11String(yaml11Document(value), options);
}
