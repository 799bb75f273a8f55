import { FindingDraft, Policy, PolicyContext, ResourceView } from "./context";

/** Words that make a name secret when it is the name's last word (PGPASSWORD, DB_PASSWORD, api_token...). */
const SECRET_WORD = /(password|passwd|passphrase|secret|token|apikey|credentials?|privatekey)$|^(key|pwd|pass)$/;
/** Names whose value is public by nature even though they contain a secret word. */
const PUBLIC_WORD = /^(public|pub)$/;
/** Values that are flags, not secrets (MARIADB_RANDOM_ROOT_PASSWORD=1, DISABLE_PASSWORD_AUTH=true). */
const FLAG = /^(|true|false|yes|no|on|off|\d{1,5})$/i;
/** A reference to something that holds the secret instead of the secret itself. */
// A read from another stack's state is wrapped in sensitive() (stacks/kite-stack.ts).
const REFERENCE = /\$\{\s*(sensitive\(\s*)?(var\.|random_[a-z_]+\.|data\.|[a-z][a-z0-9_]*\.[A-Za-z0-9_-]+\.)/;

/** Shapes of real credentials, wherever they appear. */
const TOKEN_SHAPES: readonly { readonly name: string; readonly pattern: RegExp }[] = [
  { name: "Tailscale auth key", pattern: /tskey-[A-Za-z0-9-]{8,}/ },
  // Hetzner tokens are 64 mixed-case alphanumerics; sha256 content hashes (lowercase hex) are not.
  { name: "Hetzner Cloud token", pattern: /(?<![A-Za-z0-9])(?=[A-Za-z0-9]{0,63}[g-zA-Z])[A-Za-z0-9]{64}(?![A-Za-z0-9])/ },
  { name: "private key", pattern: /-----BEGIN [A-Z ]*PRIVATE KEY-----/ },
  { name: "GitHub token", pattern: /\b(gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{30,})/ },
  { name: "AWS access key", pattern: /\bAKIA[0-9A-Z]{16}\b/ },
  { name: "Cloudflare tunnel token", pattern: /\beyJhIjoi[A-Za-z0-9+/=]{20,}/ },
];

/** `scheme://user:password@host`: the password part of a URL written into a value. */
const URL_CREDENTIAL = /\b[a-z][a-z0-9+.-]*:\/\/[^\s/:@]+:([^\s@/]+)@/i;

/** A URL in the value carries a literal password (not a `${...}` reference). */
export function urlCredentialIn(value: string): boolean {
  const m = URL_CREDENTIAL.exec(value);
  return m !== null && !/^\$\{[^}]+\}$/.test(m[1]);
}

/** Splits a name into lowercase words: AUTHENTIK_SECRET_KEY, apiToken, max-size. */
function words(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length > 0);
}

/** A name that says its value is a secret: its last non-numeric word is a secret word. */
export function isSecretName(name: string): boolean {
  const ws = words(name);
  while (ws.length > 0 && /^\d+$/.test(ws[ws.length - 1])) ws.pop();
  const last = ws[ws.length - 1];
  return last !== undefined && SECRET_WORD.test(last) && !ws.some((w) => PUBLIC_WORD.test(w));
}

/** A secret-named value that is written out instead of referenced. */
export function isLiteralSecret(value: string): boolean {
  return !FLAG.test(value.trim()) && !REFERENCE.test(value);
}

export function tokenShapeIn(value: string): string | undefined {
  return TOKEN_SHAPES.find((t) => t.pattern.test(value))?.name;
}

/** Masks a value so a finding never prints the secret it found. */
export function mask(value: string): string {
  return value.length <= 4 ? "****" : `${value.slice(0, 4)}…(${value.length} chars)`;
}

interface Hit {
  readonly where: string;
  readonly value: string;
  readonly why: string;
}

/**
 * A container's uploaded files by path. An env value that names one of them (`/path`, or
 * Authentik's `file:///path`) is a secret passed as a file: the file's content is what must be
 * a reference.
 */
function uploadsOf(body: unknown): Map<string, string> {
  const files = new Map<string, string>();
  const list = (body as { upload?: unknown })?.upload;
  if (Array.isArray(list)) for (const u of list) if (typeof u?.file === "string" && typeof u?.content === "string") files.set(u.file, u.content);
  return files;
}

/** Walks a body: secret-named keys, NAME=value strings (env lists), and token shapes anywhere. */
function scan(node: unknown, where: string, key: string | undefined, hits: Hit[], files: ReadonlyMap<string, string> = new Map()): void {
  if (typeof node === "string") {
    const shape = tokenShapeIn(node);
    if (shape) {
      hits.push({ where, value: node, why: `looks like a ${shape}` });
      return;
    }
    if (urlCredentialIn(node)) {
      hits.push({ where, value: node, why: "holds a password inside a connection string (scheme://user:password@host)" });
      return;
    }
    const eq = node.indexOf("=");
    if (eq > 0 && /^[A-Za-z_][A-Za-z0-9_]*$/.test(node.slice(0, eq))) {
      const [name, raw] = [node.slice(0, eq), node.slice(eq + 1)];
      const file = files.get(raw.replace(/^file:\/\//, ""));
      const value = file ?? raw;
      // POSTGRES_PASSWORD_FILE, GF_..._SECRET__FILE: a secret passed as one of the container's files.
      const viaFile = file !== undefined && /_FILE$/.test(name) && isSecretName(name.replace(/_+FILE$/, ""));
      if ((isSecretName(name) || viaFile) && isLiteralSecret(value)) hits.push({ where: `${where} (${name})`, value, why: `${name} is a secret name with a literal value` });
      return;
    }
    if (key !== undefined && isSecretName(key) && isLiteralSecret(node)) hits.push({ where, value: node, why: `${key} is a secret name with a literal value` });
    return;
  }
  if (Array.isArray(node)) {
    node.forEach((item, i) => scan(item, `${where}[${i}]`, key, hits, files));
    return;
  }
  if (node && typeof node === "object") {
    for (const [k, v] of Object.entries(node)) {
      if (k === "//") continue;
      scan(v, where ? `${where}.${k}` : k, k, hits, files);
    }
  }
}

/**
 * No credential is written into the Terraform JSON (and so into git, plans and CI logs):
 * secret-named attributes and env entries reference a variable, a random_password or remote
 * state; known token shapes are rejected wherever they appear.
 */
export const noSecretLiteral: Policy = {
  id: "no-secret-literal",
  description: "No secret literal in any resource, provider or variable default (secret-named values must be ${var.}/${random_password.}/${data.terraform_remote_state.} references)",
  check(ctx: PolicyContext): FindingDraft[] {
    const drafts: FindingDraft[] = [];
    const report = (resource: ResourceView, hits: Hit[]) =>
      hits.forEach((hit) =>
        drafts.push({
          resource,
          value: mask(hit.value),
          problem: `${hit.where}: ${hit.why}`,
          fix: "declare it as a sensitive variable (constructs/homelab-inputs.ts) or a generated secret (spec secrets, source generated) and reference that",
        }),
      );
    for (const resource of ctx.allResources()) {
      const hits: Hit[] = [];
      scan(resource.body, "", undefined, hits, uploadsOf(resource.body));
      report(resource, hits);
    }
    // Providers, variable defaults, locals and outputs are written to cdk.tf.json too.
    for (const stack of ctx.stacks) {
      for (const block of ["provider", "variable", "locals", "output"] as const) {
        const content = stack.json[block];
        if (!content) continue;
        const hits: Hit[] = [];
        if (block === "variable") {
          for (const [name, v] of Object.entries(content as Record<string, any>)) {
            if (typeof v?.default === "string") scan(v.default, `variable.${name}.default`, name, hits);
          }
        } else {
          scan(content, block, undefined, hits);
        }
        report({ stack, type: block, logicalId: "", address: block, path: `${stack.name}/${block}`, body: content }, hits);
      }
    }
    return drafts;
  },
};
