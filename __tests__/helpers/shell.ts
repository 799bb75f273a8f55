import { TerraformStack } from "cdktf";
import { buildContextFolder } from "../../constructs/built-image";
import { SynthesizedHomelab, TerraformJson } from "./synth";

/**
 * Every piece of shell the synthesized stacks hand to a shell, found by walking the Terraform
 * JSON (no list kept by hand), with Terraform's own template step played first:
 * - local-exec provisioners whose interpreter is a shell (`/bin/sh -c` is Terraform's default),
 *   and the scripts they pass through the environment to `sh -c "$NAME"` in a container;
 * - `[sh|bash|ash|dash, -c, script]` anywhere (container `command`, `entrypoint` + `command`);
 * - Docker healthchecks `["CMD-SHELL", script]` (Docker runs them with `/bin/sh -c`);
 * - cloud-init `bootcmd`/`runcmd`, as cloud-init itself turns them into scripts (see
 *   cloudInitScripts), and any string that starts with a `#!` line (uploads, write_files);
 * - scripts uploaded into containers, and what the plan builds into images: the build
 *   context's scripts and its Dockerfile's shell-form instructions.
 */
export interface ShellSnippet {
  /** `<stack>: <resource address> <field>` */
  readonly where: string;
  /** Shell dialect for shellcheck `-s` and the `-n` parse: `sh` for dash/busybox ash. */
  readonly dialect: "sh" | "bash";
  /** The text the shell runs (Terraform interpolations replaced by a placeholder word). */
  readonly text: string;
  /** The script's own file, when it is one (checked in place, so `. ./lib.sh` is followed). */
  readonly file?: string;
}

export const SHELLS: Readonly<Record<string, ShellSnippet["dialect"]>> = { sh: "sh", dash: "sh", ash: "sh", bash: "bash" };

/** What a Terraform interpolation becomes in a snippet: a plain word, as the values are (names, ids). */
export const TF_PLACEHOLDER = "TF_VALUE";

/** A Terraform interpolation that is a reference or a function call (what cdktf tokens resolve to). */
const TERRAFORM_EXPRESSION = /^(?:[a-z_][a-z0-9_-]*\.[\w.\-[\]"]+|[a-z_][a-z0-9_]*\(.*\))$/s;

export class TemplateProblem extends Error {}

/**
 * Plays Terraform's template step on a string: `$${`/`%%{` are literal `${`/`%{`, and each
 * `${expr}` becomes {@link TF_PLACEHOLDER}. An interpolation that is not a Terraform reference
 * (a shell `${VAR}` written without `$$`) is a defect: Terraform would fail or substitute it.
 */
export function renderTerraformTemplate(text: string, where: string): string {
  let out = "";
  let i = 0;
  while (i < text.length) {
    if (text.startsWith("$${", i) || text.startsWith("%%{", i)) {
      out += text[i + 1] + "{";
      i += 3;
    } else if (text.startsWith("${", i) || text.startsWith("%{", i)) {
      let depth = 1;
      let j = i + 2;
      while (j < text.length && depth > 0) {
        if (text[j] === "{") depth++;
        else if (text[j] === "}") depth--;
        j++;
      }
      const expr = text.slice(i + 2, j - 1).trim();
      if (text[i] === "%" || !TERRAFORM_EXPRESSION.test(expr)) {
        throw new TemplateProblem(`${where}: Terraform would interpolate ${text.slice(i, j)} (write $\${ for a literal \${)`);
      }
      out += TF_PLACEHOLDER;
      i = j;
    } else {
      out += text[i];
      i++;
    }
  }
  return out;
}

function shellOf(program: unknown): ShellSnippet["dialect"] | undefined {
  return typeof program === "string" ? SHELLS[program.split("/").pop()!] : undefined;
}

/** Walks any JSON value, calling `visit` on every object and array with its path. */
function walk(value: unknown, path: string, visit: (v: unknown, path: string) => void): void {
  visit(value, path);
  if (Array.isArray(value)) value.forEach((v, i) => walk(v, `${path}[${i}]`, visit));
  else if (value && typeof value === "object") for (const [k, v] of Object.entries(value)) walk(v, path ? `${path}.${k}` : k, visit);
}

export interface FoundShell {
  readonly snippets: ShellSnippet[];
  /** Each hcloud user_data, for {@link cloudInitScripts}. */
  readonly userData: { where: string; text: string }[];
}

/** Every shell snippet of every stack of a synthesized homelab. */
export function shellSnippets(homelab: SynthesizedHomelab): FoundShell {
  const stacks: TerraformStack[] = [homelab.stacks.edge, ...homelab.stacks.vms.values(), ...homelab.stacks.hosts.values()];
  const found = stacks.map((stack) => shellSnippetsOfStack(stack.node.id, homelab.json(stack)));
  const images = buildContextShell(stacks.flatMap((stack) => buildContextsOf(stack, homelab.json(stack))));
  return { snippets: [...found.flatMap((f) => f.snippets), ...images], userData: found.flatMap((f) => f.userData) };
}

const SHEBANG = /^#!\s*(?:\/usr\/bin\/env\s+)?(\S+)/;

/** The shell snippets of one stack's Terraform JSON. */
export function shellSnippetsOfStack(stack: string, json: TerraformJson): FoundShell {
  const snippets = new Map<string, ShellSnippet>();
  const userData: { where: string; text: string }[] = [];
  for (const [type, resources] of Object.entries(json.resource ?? {})) {
    for (const [id, resource] of Object.entries(resources)) {
      const at = `${stack}: ${type}.${id}`;
      const add = (field: string, dialect: ShellSnippet["dialect"], text: string) => {
        const where = `${at} ${field}`;
        if (!snippets.has(where)) snippets.set(where, { where, dialect, text: renderTerraformTemplate(text, where) });
      };
      const dialectOfScript = (where: string, text: string, fallback: ShellSnippet["dialect"]) => {
        const shebang = SHEBANG.exec(text)?.[1];
        if (!shebang) return fallback;
        const dialect = shellOf(shebang);
        if (!dialect) throw new Error(`${where}: a #!${shebang} script; add its checker to __tests__/helpers/shell.ts`);
        return dialect;
      };

      for (const [i, provisioner] of ((resource.provisioner ?? []) as Record<string, any>[]).entries()) {
        const exec = provisioner["local-exec"];
        if (!exec) continue;
        const interpreter: string[] = exec.interpreter ?? ["/bin/sh", "-c"];
        const dialect = shellOf(interpreter[0]);
        if (!dialect || interpreter[1] !== "-c") continue;
        add(`provisioner[${i}].local-exec.command`, dialect, exec.command);
        // `... sh -c "$NAME"` / `--entrypoint /bin/sh <image> -c "$NAME"`: the variable holds a script.
        for (const m of (exec.command as string).matchAll(/(?:^|\s)(?:--entrypoint\s+)?(\S*\/)?(sh|bash|ash|dash)\s+(?:\S+\s+)?-c\s+"\$([A-Za-z_][A-Za-z0-9_]*)"/g)) {
          const script = exec.environment?.[m[3]];
          if (typeof script !== "string") throw new Error(`${at}: local-exec runs ${m[2]} -c "$${m[3]}" but sets no ${m[3]}`);
          add(`provisioner[${i}].local-exec.environment.${m[3]}`, SHELLS[m[2]], script);
        }
      }

      // Files written into a container: a `.sh`, a `#!` file, or the file its command runs with a shell.
      const entry = resource.entrypoint as unknown[] | undefined;
      const command = resource.command as unknown[] | undefined;
      const argv = [...(Array.isArray(entry) ? entry : []), ...(Array.isArray(command) ? command : [])];
      const runner = shellOf(argv[0]);
      const runsFile = runner && typeof argv[1] === "string" && !argv[1].startsWith("-") ? argv[1] : undefined;
      for (const [i, upload] of ((resource.upload ?? []) as { file: string; content?: string }[]).entries()) {
        if (typeof upload.content !== "string") continue;
        const field = `upload[${i}] ${upload.file}`;
        if (upload.file === runsFile) add(field, dialectOfScript(`${at} ${field}`, upload.content, runner!), upload.content);
        else if (/\.(sh|bash)$/.test(upload.file) || SHEBANG.test(upload.content)) {
          add(field, dialectOfScript(`${at} ${field}`, upload.content, upload.file.endsWith(".bash") ? "bash" : "sh"), upload.content);
        }
      }

      walk(resource, "", (value, path) => {
        if (Array.isArray(value)) {
          const dialect = shellOf(value[0]);
          if (dialect && value[1] === "-c" && typeof value[2] === "string") add(`${path}[2]`, dialect, value[2]);
          if (value[0] === "CMD-SHELL" && typeof value[1] === "string") add(`${path}[1]`, "sh", value[1]);
        } else if (value && typeof value === "object" && !/^upload\[\d+\]$/.test(path)) {
          const v = value as Record<string, unknown>;
          const entryShell = Array.isArray(v.entrypoint) && v.entrypoint.length === 2 && v.entrypoint[1] === "-c" ? shellOf(v.entrypoint[0]) : undefined;
          if (entryShell && Array.isArray(v.command) && typeof v.command[0] === "string") add(`${path ? `${path}.` : ""}command[0]`, entryShell, v.command[0]);
          for (const [k, text] of Object.entries(v)) {
            if (typeof text === "string" && SHEBANG.test(text)) {
              const field = `${path ? `${path}.` : ""}${k}`;
              add(field, dialectOfScript(`${at} ${field}`, text, "sh"), text);
            }
          }
        }
      });

      if (typeof resource.user_data === "string") userData.push({ where: `${at} user_data`, text: resource.user_data });
    }
  }
  return { snippets: [...snippets.values()], userData };
}

const CLOUD_INIT_SCRIPT = String.raw`
import json, sys
from cloudinit import safeyaml, util
out = []
for text in json.load(sys.stdin):
    cfg = safeyaml.load(text)
    scripts = {}
    # cc_bootcmd.py and cc_runcmd.py: util.shellify(list) -> a "#!/bin/sh" script, run by /bin/sh.
    for key in ("bootcmd", "runcmd"):
        if key in cfg:
            scripts[key] = util.shellify(cfg[key])
    for i, f in enumerate(cfg.get("write_files") or []):
        if str(f.get("content", "")).startswith("#!"):
            scripts["write_files[%d] %s" % (i, f.get("path"))] = f["content"]
    out.append({"scripts": scripts, "commands": {k: cfg[k] for k in ("bootcmd", "runcmd") if k in cfg}})
json.dump(out, sys.stdout, default=repr)
`;

/**
 * The scripts cloud-init makes of each user-data (Debian's cloud-init: its own YAML loader and
 * `util.shellify`, as cc_bootcmd and cc_runcmd call it), so the shell checked is the shell the
 * VM runs, including any value YAML 1.1 changed on the way.
 */
export function cloudInitScripts(documents: readonly { where: string; text: string }[]): ShellSnippet[] {
  const { execFileSync } = require("node:child_process") as typeof import("node:child_process");
  let stdout: string;
  try {
    stdout = execFileSync("/usr/bin/python3", ["-c", CLOUD_INIT_SCRIPT], { input: JSON.stringify(documents.map((d) => d.text)), encoding: "utf8" });
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    throw new Error(`cloud-init's shellify failed: ${err.stderr || err.message}. CI installs it: apt-get install --no-install-recommends cloud-init`);
  }
  const read = JSON.parse(stdout) as { scripts: Record<string, string>; commands: Record<string, unknown> }[];
  return read.flatMap(({ scripts, commands }, i) => {
    const where = documents[i].where;
    const found: ShellSnippet[] = Object.entries(scripts).map(([key, text]) => {
      const shell = /^#!\s*(?:\/usr\/bin\/env\s+)?(\S+)/.exec(text)?.[1];
      const dialect = shell ? SHELLS[shell.split("/").pop()!] : undefined;
      if (!dialect) throw new Error(`${where} ${key}: not a shell script (${JSON.stringify(text.slice(0, 40))})`);
      return { where: `${where} ${key} (as cloud-init writes it)`, dialect, text };
    });
    // A `[sh, -c, script]` entry: the script inside is shell too.
    walk(commands, "", (value, path) => {
      const dialect = Array.isArray(value) ? shellOf(value[0]) : undefined;
      if (dialect && value instanceof Array && value[1] === "-c" && typeof value[2] === "string") {
        found.push({ where: `${where} ${path}[2]`, dialect, text: value[2] });
      }
    });
    return found;
  });
}

/**
 * Shell-form instructions of a Dockerfile, which the build runs with `/bin/sh -c`: `RUN`,
 * `CMD`, `ENTRYPOINT` and `HEALTHCHECK ... CMD` not written as a JSON array. Continuation
 * lines are joined and comment lines dropped, as BuildKit's parser does.
 */
export function dockerfileShell(text: string, where: string): ShellSnippet[] {
  const logical: { line: number; text: string }[] = [];
  let current: { line: number; text: string } | undefined;
  text.split("\n").forEach((raw, i) => {
    if (/^\s*#/.test(raw) && !current) return;
    if (/^\s*#/.test(raw)) return; // a comment inside a continued instruction
    const continued = /\\\s*$/.test(raw);
    const part = raw.replace(/\\\s*$/, "");
    // The escape and the line break go; the lines join (moby/buildkit frontend/dockerfile/parser).
    current = current ? { line: current.line, text: `${current.text}${part}` } : { line: i + 1, text: part };
    if (!continued) {
      logical.push(current);
      current = undefined;
    }
  });
  const found: ShellSnippet[] = [];
  for (const { line, text: instr } of logical) {
    const m = /^\s*(RUN|CMD|ENTRYPOINT|HEALTHCHECK)\s+([\s\S]*)$/i.exec(instr);
    if (!m) continue;
    let body = m[2];
    const name = m[1].toUpperCase();
    // RUN's own flags (--mount=..., --network=...), HEALTHCHECK's options up to its CMD.
    if (name === "RUN") body = body.replace(/^(?:--\S+\s+)*/, "");
    if (name === "HEALTHCHECK") {
      const cmd = /^(?:--\S+\s+)*CMD\s+([\s\S]*)$/i.exec(body);
      if (!cmd) continue; // HEALTHCHECK NONE
      body = cmd[1];
    }
    if (body.trimStart().startsWith("[")) continue; // exec form: no shell
    found.push({ where: `${where}:${line} ${name}`, dialect: "sh", text: `${body.trim()}\n` });
  }
  return found;
}

/**
 * What the plan builds into images (`docker_image.build.context`): the Dockerfile's shell-form
 * instructions and every script in the context (`*.sh`, or a `#!` shell line), each once.
 */
export function buildContextShell(contexts: readonly { where: string; context: string; dockerfile?: string }[]): ShellSnippet[] {
  const { readdirSync, readFileSync, statSync } = require("node:fs") as typeof import("node:fs");
  const { join, relative } = require("node:path") as typeof import("node:path");
  const seen = new Set<string>();
  const found: ShellSnippet[] = [];
  for (const { where, context, dockerfile } of contexts) {
    if (seen.has(context)) continue;
    seen.add(context);
    const dockerfilePath = join(context, dockerfile ?? "Dockerfile");
    found.push(...dockerfileShell(readFileSync(dockerfilePath, "utf8"), `${where} ${relative(process.cwd(), dockerfilePath)}`));
    const visit = (dir: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) {
          if (!["node_modules", ".git", "dist"].includes(entry.name)) visit(path);
        } else if (entry.isFile() && statSync(path).size < 1_000_000) {
          const text = readFileSync(path, "utf8");
          const shebang = SHEBANG.exec(text)?.[1];
          const dialect = shebang ? shellOf(shebang) : entry.name.endsWith(".sh") ? "sh" : undefined;
          if (dialect) found.push({ where: `${where} ${relative(process.cwd(), path)}`, dialect, text, file: path });
        }
      }
    };
    visit(context);
  }
  return found;
}

/** The build contexts of a stack's `docker_image` resources. */
export function buildContextsOf(stack: TerraformStack, json: TerraformJson): { where: string; context: string; dockerfile?: string }[] {
  return Object.entries(json.resource?.docker_image ?? {}).flatMap(([id, image]) => {
    const build = (image.build ?? image.buildAttribute) as { context?: string; dockerfile?: string } | undefined;
    return build?.context ? [{ where: `${stack.node.id}: docker_image.${id} build`, context: buildContextFolder(stack, build.context), dockerfile: build.dockerfile }] : [];
  });
}
