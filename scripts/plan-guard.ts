/**
 * The gate between a pull request's synthesized Terraform and the job that plans it with
 * credentials (docs/security.md, CI).
 *
 *   tsx scripts/plan-guard.ts <trusted cdktf.out> <candidate dir> <out dir>
 *
 * <trusted> is main's own synth (run in the plan job from main's checkout, no secrets needed);
 * <candidate> holds the pull request's `stacks/<stack>/cdk.tf.json` files (an artifact of the
 * untrusted test job: data, never executed). The candidate may change resources; it may not
 * change what Terraform runs or where credentials go during a plan:
 *   - the same stacks; the same `terraform` block (backend, required providers' sources; a
 *     provider version may move, the source may not);
 *   - the same `provider` blocks (a changed Docker `host`/`ssh_opts` could run a local
 *     ProxyCommand; a changed Cloudflare/Hetzner endpoint would receive the API token);
 *   - resource and data types only from those providers, `terraform_remote_state` only with a
 *     configuration main uses, plus Terraform's built-in terraform_data; `moved`/`removed` blocks; no
 *     `module`, `locals`, `check`, `import`, ... blocks;
 *   - variables as main declares them (new ones sensitive), outputs sensitive or as on main;
 *   - no `nonsensitive()` and no function that reads the runner's files (`file()`,
 *     `templatefile()`, ...), which would print a credential into the plan.
 * On success <out dir> = the trusted tree (manifest) with the candidate's cdk.tf.json files:
 * nothing else from the artifact (an extra *.tf, *.auto.tfvars or .terraform/ in a stack folder
 * would be loaded by Terraform) reaches the plan.
 *
 * What it cannot stop (a reviewer must): data sources that send what they read to a host of
 * the PR's choosing (e.g. a Docker registry lookup), or resource values that are not secret but
 * private. Exit 0 when the candidate passes, 1 with every problem listed otherwise.
 */
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { isDeepStrictEqual } from "node:util";

type Json = any;

// `moved` and `removed` only re-address or forget state at plan time (a rename, a service homed
// elsewhere); their provisioners, like every provisioner, run at apply, never in a plan.
const ALLOWED_TOP_LEVEL = new Set(["//", "terraform", "provider", "resource", "data", "variable", "output", "moved", "removed"]);

/** Resource types of Terraform's built-in provider (no plugin to install, nothing run at plan). */
const BUILTIN_TYPES = new Set(["terraform_data"]);

/** Terraform functions that read the machine running the plan. */
const FORBIDDEN_FUNCTIONS = [
  "nonsensitive",
  "file",
  "filebase64",
  "filebase64sha256",
  "filebase64sha512",
  "fileexists",
  "fileset",
  "filemd5",
  "filesha1",
  "filesha256",
  "filesha512",
  "templatefile",
];
const FORBIDDEN_CALL = new RegExp(`\\b(${FORBIDDEN_FUNCTIONS.join("|")})\\s*\\(`);

function readStacks(dir: string): Map<string, Json> {
  const stacks = new Map<string, Json>();
  const root = join(dir, "stacks");
  if (!existsSync(root)) return stacks;
  for (const name of readdirSync(root).sort()) {
    const file = join(root, name, "cdk.tf.json");
    if (existsSync(file)) stacks.set(name, JSON.parse(readFileSync(file, "utf8")));
  }
  return stacks;
}

/** The `${...}` expressions of a Terraform string (`$${` is a literal and skipped). */
export function interpolations(text: string): string[] {
  const found: string[] = [];
  for (let i = 0; i < text.length - 1; i++) {
    if (text[i] !== "$" || text[i + 1] !== "{") continue;
    if (i > 0 && text[i - 1] === "$") continue;
    let depth = 0;
    let j = i + 1;
    for (; j < text.length; j++) {
      if (text[j] === "{") depth++;
      else if (text[j] === "}" && --depth === 0) break;
    }
    found.push(text.slice(i + 2, j));
    i = j;
  }
  return found;
}

/** Every string in a JSON value, with its path. */
function* strings(value: Json, path: string): Generator<[string, string]> {
  if (typeof value === "string") yield [path, value];
  else if (Array.isArray(value)) for (let i = 0; i < value.length; i++) yield* strings(value[i], `${path}[${i}]`);
  else if (value && typeof value === "object") for (const [k, v] of Object.entries(value)) yield* strings(v, `${path}.${k}`);
}

/** The terraform block with provider versions blanked: a version may move, a source may not. */
function terraformShape(block: Json): Json {
  const copy = JSON.parse(JSON.stringify(block ?? {}));
  for (const p of Object.values((copy.required_providers ?? {}) as Record<string, Json>)) if (p && typeof p === "object") delete p.version;
  return copy;
}

export function checkCandidate(trusted: ReadonlyMap<string, Json>, candidate: ReadonlyMap<string, Json>): string[] {
  const problems: string[] = [];
  const fix = "Fix: plan it after merge (drift check / deploy), or land the provider/backend change on its own first";
  for (const name of candidate.keys()) {
    if (!trusted.has(name)) problems.push(`${name}: a stack main does not have. ${fix}.`);
  }
  for (const [name, main] of trusted) {
    const pr = candidate.get(name);
    if (!pr) {
      problems.push(`${name}: missing from the pull request's synth. Fix: the test job must upload every stacks/<stack>/cdk.tf.json.`);
      continue;
    }
    for (const key of Object.keys(pr)) {
      if (!ALLOWED_TOP_LEVEL.has(key)) problems.push(`${name}: top-level block "${key}" is not allowed in a planned pull request (only ${[...ALLOWED_TOP_LEVEL].join(", ")}). ${fix}.`);
    }
    if (!isDeepStrictEqual(terraformShape(pr.terraform), terraformShape(main.terraform))) {
      problems.push(`${name}: terraform block (backend or provider sources) differs from main's. ${fix}.`);
    }
    if (!isDeepStrictEqual(pr.provider ?? {}, main.provider ?? {})) {
      const changed = [...new Set([...Object.keys(pr.provider ?? {}), ...Object.keys(main.provider ?? {})])].filter(
        (p) => !isDeepStrictEqual(pr.provider?.[p], main.provider?.[p]),
      );
      problems.push(`${name}: provider configuration differs from main's (${changed.join(", ")}). ${fix}.`);
    }
    const providers = Object.keys(main.terraform?.required_providers ?? {});
    const ownType = (type: string) => BUILTIN_TYPES.has(type) || providers.some((p) => type.startsWith(`${p}_`));
    for (const type of Object.keys(pr.resource ?? {})) {
      if (!ownType(type)) problems.push(`${name}: resource type ${type} does not belong to the stack's providers (${providers.join(", ")}). ${fix}.`);
    }
    const remoteConfigs = Object.values((main.data?.terraform_remote_state ?? {}) as Record<string, Json>);
    for (const [type, blocks] of Object.entries((pr.data ?? {}) as Record<string, Record<string, Json>>)) {
      if (type === "terraform_remote_state") {
        for (const [id, block] of Object.entries(blocks)) {
          if (!remoteConfigs.some((c) => isDeepStrictEqual(c, block))) problems.push(`${name}: data.terraform_remote_state.${id} reads a state main does not read. ${fix}.`);
        }
      } else if (!ownType(type)) {
        problems.push(`${name}: data source type ${type} does not belong to the stack's providers (${providers.join(", ")}). ${fix}.`);
      }
    }
    for (const [id, v] of Object.entries((pr.variable ?? {}) as Record<string, Json>)) {
      const before = main.variable?.[id];
      if (before ? !isDeepStrictEqual(v, before) : v?.sensitive !== true) {
        problems.push(`${name}: variable.${id} ${before ? "differs from main's declaration" : "is new and not sensitive"}. Fix: declare inputs sensitive (TerraformVariable sensitive: true); a changed declaration is planned after merge.`);
      }
    }
    for (const [id, o] of Object.entries((pr.output ?? {}) as Record<string, Json>)) {
      if (o?.sensitive !== true && !isDeepStrictEqual(o, main.output?.[id])) {
        problems.push(`${name}: output.${id} is new or changed and not sensitive. Fix: mark it sensitive, or plan it after merge.`);
      }
    }
    for (const [path, text] of strings(pr, name)) {
      const m = interpolations(text).map((e) => FORBIDDEN_CALL.exec(e)).find(Boolean);
      if (m) problems.push(`${path}: calls ${m[1]}(), which can print a credential or a runner file into the plan. Fix: remove it; values come from variables and resources.`);
    }
  }
  return problems;
}

/** The planned tree: main's manifest and folders, the pull request's cdk.tf.json files only. */
export function writePlanTree(trustedDir: string, candidate: ReadonlyMap<string, Json>, outDir: string): void {
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  cpSync(join(trustedDir, "manifest.json"), join(outDir, "manifest.json"));
  for (const [name, json] of candidate) {
    mkdirSync(join(outDir, "stacks", name), { recursive: true });
    writeFileSync(join(outDir, "stacks", name, "cdk.tf.json"), JSON.stringify(json, null, 2));
  }
}

if (require.main === module) {
  const [trustedDir, candidateDir, outDir] = process.argv.slice(2);
  if (!trustedDir || !candidateDir || !outDir) {
    process.stderr.write("usage: plan-guard.ts <trusted cdktf.out> <candidate dir> <out dir>\n");
    process.exit(1);
  }
  const trusted = readStacks(trustedDir);
  const candidate = readStacks(candidateDir);
  const problems = trusted.size === 0 ? [`${trustedDir}: no synthesized stacks. Fix: run main's synth first.`] : checkCandidate(trusted, candidate);
  if (problems.length > 0) {
    process.stderr.write(`plan-guard: the pull request's Terraform is not planned with credentials:\n  - ${problems.join("\n  - ")}\n`);
    process.exit(1);
  }
  writePlanTree(trustedDir, candidate, outDir);
  process.stdout.write(`plan-guard: ${candidate.size} stacks checked against main; plan tree in ${outDir}\n`);
}
