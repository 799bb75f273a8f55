/**
 * Finds values in synthesized Terraform JSON that look like a secret written as a literal.
 * Secrets must reach Terraform as `${var.x}` or `${random_password.x.result}` expressions, so
 * any literal in a secret-named place, or anything shaped like a key, is a leak.
 */

export interface SecretLiteral {
  /** JSON path, e.g. `resource.docker_container.x.env[3]`. */
  readonly path: string;
  readonly value: string;
  readonly why: string;
}

/** Object keys whose value is a secret (`password`, `api_token`, `client_secret`...). */
const SECRET_KEY = /(^|[_-])(password|passwd|secret|secret_key|token|api_token|api_key|auth_key|private_key)$/i;
/** `NAME=value` env entries whose NAME ends like a secret (`SMTP_PASSWORD`, `INTERNAL_TOKEN`). */
const SECRET_ENV = /^([A-Za-z_][A-Za-z0-9_]*(PASSWORD|PASSWD|SECRET|SECRET_KEY|TOKEN|API_KEY|AUTH_KEY|PRIVATE_KEY))=(.*)$/is;
/** Values that cannot be a secret: flags, numbers, nothing. */
const HARMLESS = /^(|true|false|yes|no|on|off|\d+)$/i;

const TAILSCALE_KEY = /tskey-[A-Za-z0-9]+-[A-Za-z0-9]{6,}/;
/** 64+ hex characters: API tokens and keys (40-character GPG fingerprints are public). */
const HEX_RUN = /(?<![0-9a-f])[0-9a-f]{64,}(?![0-9a-f])/gi;
/** Base64/alphanumeric runs with upper, lower and digits: API tokens, hcloud tokens, keys. */
const TOKEN_RUN = /[A-Za-z0-9+/]{32,}={0,2}/g;

/**
 * Keys under which hex strings are digests of public content: Terraform `triggers`/`triggers_replace` (change
 * detectors) and `*hash*` / `*digest*` labels. Secret-named keys inside them are still checked.
 */
const DIGEST_KEY = /^triggers(_replace)?$|hash|digest|checksum/i;

const isExpression = (value: string) => value.includes("${");

/** Text with every Terraform interpolation removed (references are never secrets). */
function withoutExpressions(value: string): string {
  let text = value;
  for (let previous = ""; previous !== text; ) {
    previous = text;
    text = text.replace(/\$\{[^{}]*\}/g, " ");
  }
  return text;
}

/**
 * Every suspicious literal in a synthesized stack. `allowedDigests` are further public hashes
 * that may appear anywhere as they are.
 */
export function findSecretLiterals(json: unknown, allowedDigests: ReadonlySet<string> = new Set()): SecretLiteral[] {
  const found: SecretLiteral[] = [];
  // A container's uploads by path: an env value naming one (a secret passed as a file) is judged
  // by the file's content.
  let files = new Map<string, string>();
  const visit = (node: unknown, path: string, key: string, digests: boolean) => {
    if (Array.isArray(node)) {
      node.forEach((item, i) => visit(item, `${path}[${i}]`, key, digests));
      return;
    }
    if (node !== null && typeof node === "object") {
      const uploads = (node as { upload?: unknown }).upload;
      const outer = files;
      if (Array.isArray(uploads)) files = new Map(uploads.map((u: any) => [String(u.file), String(u.content)]));
      for (const [k, v] of Object.entries(node)) {
        // cdktf's "//" metadata holds construct paths, not values.
        if (k !== "//") visit(v, path ? `${path}.${k}` : k, k, digests || DIGEST_KEY.test(k));
      }
      files = outer;
      return;
    }
    if (typeof node !== "string") return;
    const add = (why: string) => found.push({ path, value: node, why });
    if (SECRET_KEY.test(key) && !isExpression(node) && !HARMLESS.test(node.trim())) add(`literal under the secret-named key ${key}`);
    const env = SECRET_ENV.exec(node);
    const envValue = env ? (files.get(env[3].replace(/^file:\/\//, "")) ?? env[3]) : "";
    if (env && !isExpression(envValue) && !HARMLESS.test(envValue.trim())) add(`literal value of the secret-named variable ${env[1]}`);
    const text = withoutExpressions(node);
    if (TAILSCALE_KEY.test(text)) add("a Tailscale key");
    for (const match of text.matchAll(HEX_RUN)) {
      const before = text.slice(Math.max(0, match.index - 7), match.index);
      if (before !== "sha256:" && !digests && !allowedDigests.has(match[0])) add(`a ${match[0].length}-character hex token`);
    }
    for (const match of text.matchAll(TOKEN_RUN)) {
      const run = match[0];
      if (/[A-Z]/.test(run) && /[a-z]/.test(run) && /[0-9]/.test(run)) add(`a ${run.length}-character token`);
    }
  };
  visit(json, "", "", false);
  return found;
}
