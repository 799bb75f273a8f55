import { CloudflareProvider } from "@cdktf/provider-cloudflare/lib/provider";
import { Construct } from "constructs";
import { AccessEmailPolicy } from "../constructs/access-email-policy";
import { AccessGuard } from "../constructs/access-guard";
import { CloudflareTunnel } from "../constructs/cloudflare-tunnel";
import { FIXED_INPUTS } from "../constructs/homelab-inputs";
import { TunnelDnsRecord } from "../constructs/tunnel-dns-record";
import { TunnelIngress } from "../constructs/tunnel-ingress";
import { accessTargets } from "../homelab/adoption";
import { publicHostnames } from "../homelab/derive";
import { KiteStack, KiteStackProps } from "./kite-stack";

/**
 * A construct id for a hostname: dots become underscores, which DNS names never contain, so
 * the mapping is one-to-one and an id depends on its hostname only (adding a service never
 * moves another service's resources).
 */
export function hostnameId(hostname: string): string {
  return hostname.replace(/\./g, "_");
}

/** The Cloudflare edge: the tunnel, its ingress, DNS and Access, all derived from the spec. */
export class EdgeStack extends KiteStack {
  public readonly tunnel: CloudflareTunnel;
  /** The connector token (sensitive): host stacks read it by cross-stack reference. */
  public readonly tunnelToken: string;
  public readonly ingress: TunnelIngress;
  /** One proxied CNAME per public hostname, by hostname. */
  public readonly dnsRecords: ReadonlyMap<string, TunnelDnsRecord>;
  /** The allow-list policy of the admin surfaces; absent when the spec marks none. */
  public readonly adminPolicy?: AccessEmailPolicy;
  /** One Access application per admin hostname, by hostname. */
  public readonly accessGuards: ReadonlyMap<string, AccessGuard>;

  constructor(scope: Construct, id: string, props: KiteStackProps) {
    super(scope, id, props);
    new CloudflareProvider(this, "cloudflare", { apiToken: this.inputs.string(FIXED_INPUTS.cloudflareApiToken) });
    const accountId = this.inputs.string(FIXED_INPUTS.cloudflareAccountId);
    const routes = publicHostnames(this.spec);

    this.tunnel = new CloudflareTunnel(this, "tunnel", { accountId, name: this.spec.tunnelName });
    this.tunnelToken = this.tunnel.token;
    this.ingress = new TunnelIngress(this, "ingress", { tunnel: this.tunnel, routes });
    // Adoption: the existing tunnel, records and Access objects are imported, not created (import
    // id formats: terraform-provider-cloudflare examples/resources/<type>/import.sh, v5).
    const adopted = this.adoption?.cloudflare;
    if (adopted?.tunnel) {
      this.tunnel.tunnel.importFrom(`${accountId}/${adopted.tunnel.id}`);
      // One configuration per tunnel, already there for a remotely managed tunnel.
      this.ingress.config.importFrom(`${accountId}/${adopted.tunnel.id}`);
    }

    const dnsRecords = new Map<string, TunnelDnsRecord>();
    if (routes.length > 0) {
      const zoneId = this.inputs.string(FIXED_INPUTS.cloudflareZoneId);
      for (const { hostname, service } of routes) {
        const record = new TunnelDnsRecord(this, `dns-${hostnameId(hostname)}`, {
          zoneId,
          hostname,
          tunnel: this.tunnel,
          comment: `Managed by KiteStacks IaC: tunnel route to ${service.name}`,
        });
        const recordId = adopted?.dnsRecords?.[hostname];
        if (recordId) record.record.importFrom(`${zoneId}/${recordId}`);
        dnsRecords.set(hostname, record);
      }
    }
    this.dnsRecords = dnsRecords;

    // Cloudflare Access in front of admin surfaces, on top of the app's own Authentik login:
    // a whole hostname for admin surfaces, path-scoped applications for admin paths.
    const guards = new Map<string, AccessGuard>();
    const targets = accessTargets(this.spec);
    if (targets.length > 0) {
      const policy = new AccessEmailPolicy(this, "access-admins", {
        accountId,
        name: `${this.spec.tunnelName} admin surfaces`,
        emails: this.inputs.variable(FIXED_INPUTS.accessAllowedEmails).listValue,
      });
      this.adminPolicy = policy;
      if (adopted?.accessPolicy) policy.policy.importFrom(`${accountId}/${adopted.accessPolicy}`);
      for (const { target, constructId, name } of targets) {
        const guard = new AccessGuard(this, constructId, { accountId, hostname: target, name, policies: [policy] });
        const appId = adopted?.accessApplications?.[target];
        if (appId) guard.application.importFrom(`accounts/${accountId}/${appId}`);
        guards.set(target, guard);
      }
    }
    this.accessGuards = guards;
  }
}
