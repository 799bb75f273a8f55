import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";

/**
 * Reads YAML documents the way their YAML 1.1 consumers do, with the real PyYAML (Debian's
 * python3-yaml) in a Debian python3, and returns what they read as JSON-safe values.
 *
 * - "cloud-init": cloud-init's own loader, `cloudinit.safeyaml.load` (a yaml.SafeLoader
 *   subclass; Debian's cloud-init package), which is what reads user-data on the VM.
 * - "authentik": a yaml.SafeLoader subclass registering Authentik's blueprint tags as in
 *   `authentik/blueprints/v1/common.py` `BlueprintLoader`; a tagged node reads as
 *   `{"!Tag": argument}`. An unknown tag fails, as it does in Authentik.
 *
 * Anything JSON has no word for comes back as a marker that never equals an intended value:
 * `{"$python": "datetime", "repr": "..."}`; a non-string mapping key (`on:` read as True)
 * becomes `"$python:bool:True"`.
 */
export type PyYamlReader = "cloud-init" | "authentik";

/** Debian's python3 (PATH may lead to a pyenv one without python3-yaml). */
const PYTHON = existsSync("/usr/bin/python3") ? "/usr/bin/python3" : "python3";

/** Tags Authentik's BlueprintLoader knows (authentik/blueprints/v1/common.py, 2025.x). */
export const AUTHENTIK_TAGS = [
  "!KeyOf", "!Find", "!FindObject", "!Context", "!Format", "!Condition", "!If", "!Env", "!File",
  "!Enumerate", "!Value", "!Index", "!AtIndex", "!ParseJSON",
] as const;

const SCRIPT = String.raw`
import json, sys
try:
    import yaml
except ImportError:
    sys.stderr.write("PyYAML is missing: apt-get install python3-yaml\n"); sys.exit(3)
reader = sys.argv[1]
if reader == "cloud-init":
    try:
        from cloudinit import safeyaml
    except ImportError:
        sys.stderr.write("cloud-init is missing: apt-get install --no-install-recommends cloud-init\n"); sys.exit(3)
    load = safeyaml.load
else:
    class BlueprintLoader(yaml.SafeLoader):
        pass
    def tagged(loader, node):
        if isinstance(node, yaml.ScalarNode):
            value = loader.construct_scalar(node)
        elif isinstance(node, yaml.SequenceNode):
            value = loader.construct_sequence(node, deep=True)
        else:
            value = loader.construct_mapping(node, deep=True)
        return {node.tag: value}
    for tag in json.loads(sys.argv[2]):
        BlueprintLoader.add_constructor(tag, tagged)
    load = lambda text: yaml.load(text, Loader=BlueprintLoader)

def plain(o):
    if o is None or isinstance(o, (bool, str)):
        return o
    if isinstance(o, int):
        return o
    if isinstance(o, float):
        return o if o == o and abs(o) != float("inf") else {"$python": "float", "repr": repr(o)}
    if isinstance(o, list):
        return [plain(x) for x in o]
    if isinstance(o, dict):
        return {(k if isinstance(k, str) else "$python:%s:%r" % (type(k).__name__, k)): plain(v) for k, v in o.items()}
    return {"$python": type(o).__name__, "repr": repr(o)}

out = []
for text in json.load(sys.stdin):
    try:
        out.append({"value": plain(load(text))})
    except yaml.YAMLError as e:
        out.append({"error": str(e)})
json.dump(out, sys.stdout)
`;

export interface PyYamlResult {
  readonly value?: unknown;
  /** PyYAML's message when the document does not load. */
  readonly error?: string;
}

/** Loads each document with the consumer's PyYAML reader, in one Python process. */
export function readWithPyYaml(reader: PyYamlReader, documents: readonly string[]): PyYamlResult[] {
  let stdout: string;
  try {
    stdout = execFileSync(PYTHON, ["-c", SCRIPT, reader, JSON.stringify(AUTHENTIK_TAGS)], {
      input: JSON.stringify(documents),
      encoding: "utf8",
      maxBuffer: 64 * 1024 * 1024,
    });
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    throw new Error(`PyYAML (${PYTHON}) failed: ${err.stderr || err.message}. CI installs it: bash .ci/run (apt-get install python3-yaml cloud-init)`);
  }
  return JSON.parse(stdout) as PyYamlResult[];
}
