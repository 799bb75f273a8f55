import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { cloudflaredPath } from "../../scripts/tools/cloudflared";
import { resourcesOf, TerraformJson } from "./synth";

/**
 * The real cloudflared, and the synthesized tunnel configuration turned into the config file
 * cloudflared reads, rule for rule.
 */

/** `$CLOUDFLARED`, else the binary `npm run tools` built for `version`; fails with the fix when absent. */
export function cloudflaredBinary(version: string): string {
  const binary = process.env.CLOUDFLARED ?? cloudflaredPath(version);
  if (!existsSync(binary)) {
    throw new Error(`cloudflared ${version} is not built (looked for ${binary}): run npm run tools (or set CLOUDFLARED to a cloudflared ${version} binary)`);
  }
  return binary;
}

/**
 * The provider's attribute names and the tunnel API's (and cloudflared's) JSON names:
 * terraform-provider-cloudflare v5.14.0
 * internal/services/zero_trust_tunnel_cloudflared_config/model.go (`tfsdk` vs `json` tags).
 */
const ORIGIN_REQUEST_FIELDS: Readonly<Record<string, string>> = {
  access: "access",
  ca_pool: "caPool",
  connect_timeout: "connectTimeout",
  disable_chunked_encoding: "disableChunkedEncoding",
  http2_origin: "http2Origin",
  http_host_header: "httpHostHeader",
  keep_alive_connections: "keepAliveConnections",
  keep_alive_timeout: "keepAliveTimeout",
  match_sn_ito_host: "matchSNItoHost",
  no_happy_eyeballs: "noHappyEyeballs",
  no_tls_verify: "noTLSVerify",
  origin_server_name: "originServerName",
  proxy_type: "proxyType",
  tcp_keep_alive: "tcpKeepAlive",
  tls_timeout: "tlsTimeout",
};
const ACCESS_FIELDS: Readonly<Record<string, string>> = { aud_tag: "audTag", team_name: "teamName", required: "required" };
const RULE_FIELDS: Readonly<Record<string, string>> = { hostname: "hostname", path: "path", service: "service", origin_request: "originRequest" };
/**
 * Seconds in the API's JSON (Int64 in the provider); in a config file cloudflared reads them as
 * Go durations (config/configuration.go `CustomDuration`: JSON = seconds, YAML = duration).
 */
const DURATIONS = new Set(["connectTimeout", "keepAliveTimeout", "tcpKeepAlive", "tlsTimeout"]);

function rename(where: string, value: Record<string, unknown>, names: Readonly<Record<string, string>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    const name = names[key];
    if (!name) throw new Error(`${where}.${key}: no cloudflared name known; add it from the provider's model.go`);
    out[name] = v;
  }
  return out;
}

function originRequest(where: string, value: Record<string, unknown>): Record<string, unknown> {
  const renamed = rename(where, value, ORIGIN_REQUEST_FIELDS);
  for (const key of Object.keys(renamed)) {
    if (DURATIONS.has(key)) {
      const seconds = renamed[key];
      // The API parses these as whole seconds (strconv.ParseInt in CustomDuration.UnmarshalJSON).
      if (!Number.isInteger(seconds)) throw new Error(`${where}.${key}: ${JSON.stringify(seconds)} is not a whole number of seconds`);
      renamed[key] = `${seconds}s`;
    }
    if (key === "access") renamed[key] = rename(`${where}.access`, renamed[key] as Record<string, unknown>, ACCESS_FIELDS);
  }
  return renamed;
}

/** The cloudflared config (`ingress`, `originRequest`) of the stack's one tunnel configuration. */
export function cloudflaredConfigOf(edge: TerraformJson): { ingress: Record<string, unknown>[]; originRequest?: Record<string, unknown> } {
  const configs = Object.entries(resourcesOf(edge, "cloudflare_zero_trust_tunnel_cloudflared_config"));
  if (configs.length !== 1) throw new Error(`expected one tunnel configuration, found ${configs.length}`);
  const [id, resource] = configs[0];
  const config = resource.config as { ingress: Record<string, unknown>[]; origin_request?: Record<string, unknown> };
  const ingress = config.ingress.map((rule, i) => {
    const where = `${id}.config.ingress[${i}]`;
    const renamed = rename(where, rule, RULE_FIELDS);
    if (renamed.originRequest) renamed.originRequest = originRequest(`${where}.origin_request`, renamed.originRequest as Record<string, unknown>);
    return renamed;
  });
  return { ingress, ...(config.origin_request && { originRequest: originRequest(`${id}.config.origin_request`, config.origin_request) }) };
}

export interface CloudflaredRun {
  readonly code: number;
  readonly output: string;
}

/** Runs `cloudflared tunnel --config <file> ingress <args>`. */
export function ingressCommand(binary: string, configFile: string, ...args: string[]): CloudflaredRun {
  const result = spawnSync(binary, ["tunnel", "--config", configFile, "ingress", ...args], { encoding: "utf8" });
  if (result.error) throw result.error;
  return { code: result.status ?? -1, output: `${result.stdout}${result.stderr}` };
}

/** The service of the rule `cloudflared tunnel ingress rule <url>` reports (`Matched rule #n` / `service: x`). */
export function matchedRule(run: CloudflaredRun): { index: number; service: string } {
  const index = /Matched rule #(\d+)/.exec(run.output)?.[1];
  const service = /^\s*service: (\S+)$/m.exec(run.output)?.[1];
  if (run.code !== 0 || index === undefined || service === undefined) throw new Error(`cloudflared ingress rule failed (exit ${run.code}):\n${run.output}`);
  return { index: Number(index), service };
}
