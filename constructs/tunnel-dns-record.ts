import { DnsRecord } from "@cdktf/provider-cloudflare/lib/dns-record";
import { Construct } from "constructs";
import { CloudflareTunnel } from "./cloudflare-tunnel";

export interface TunnelDnsRecordProps {
  /** Zone the hostname lives in (a sensitive variable). */
  readonly zoneId: string;
  /** Fully qualified hostname; the zone apex is written as the zone name itself. */
  readonly hostname: string;
  /** The tunnel the hostname is routed through. */
  readonly tunnel: CloudflareTunnel;
  /**
   * Record comment shown in the Cloudflare dashboard.
   * @default "Managed by KiteStacks IaC (tunnel route); edits in the dashboard are overwritten"
   */
  readonly comment?: string;
}

/**
 * A proxied CNAME from a public hostname to the tunnel. TTL 1 means "automatic", the only TTL
 * a proxied record accepts. The name is the full hostname, which is what the API returns, so
 * Terraform sees no difference between a relative and an absolute name.
 */
export class TunnelDnsRecord extends Construct {
  public readonly record: DnsRecord;

  constructor(scope: Construct, id: string, props: TunnelDnsRecordProps) {
    super(scope, id);
    this.record = new DnsRecord(this, "record", {
      zoneId: props.zoneId,
      name: props.hostname,
      type: "CNAME",
      content: props.tunnel.cnameTarget,
      ttl: 1,
      proxied: true,
      // Provider 5.x (through 5.14.0) reports these as changed on every plan unless they are
      // set; false is Cloudflare's default for a CNAME, so setting them changes nothing.
      settings: { flattenCname: false, ipv4Only: false, ipv6Only: false },
      comment: props.comment ?? "Managed by KiteStacks IaC (tunnel route); edits in the dashboard are overwritten",
    });
  }
}
