import { DataCloudflareZeroTrustTunnelCloudflaredToken } from "@cdktf/provider-cloudflare/lib/data-cloudflare-zero-trust-tunnel-cloudflared-token";
import { ZeroTrustTunnelCloudflared } from "@cdktf/provider-cloudflare/lib/zero-trust-tunnel-cloudflared";
import { Construct } from "constructs";

export interface CloudflareTunnelProps {
  /** Cloudflare account that owns the tunnel (a sensitive variable). */
  readonly accountId: string;
  /** Tunnel name shown in the Zero Trust dashboard. */
  readonly name: string;
}

/**
 * A remotely managed Cloudflare tunnel (`config_src = "cloudflare"`) and its connector token.
 *
 * Every connector runs with the same token; the ingress lives in Cloudflare (see
 * {@link TunnelIngress}), so cloudflared needs no config file. No `tunnel_secret`: it is
 * write-only and only for locally managed tunnels, and setting it has caused replacement bugs
 * in provider 5.x.
 */
export class CloudflareTunnel extends Construct {
  public readonly tunnel: ZeroTrustTunnelCloudflared;
  /** The account the tunnel, its configuration and Access objects belong to. */
  public readonly accountId: string;
  /** The tunnel's UUID. */
  public readonly tunnelId: string;
  /** The connector token (sensitive): what `cloudflared tunnel run --token` takes. */
  public readonly token: string;
  /** What every public hostname points at: `<tunnel id>.cfargotunnel.com`. */
  public readonly cnameTarget: string;

  constructor(scope: Construct, id: string, props: CloudflareTunnelProps) {
    super(scope, id);
    this.accountId = props.accountId;
    this.tunnel = new ZeroTrustTunnelCloudflared(this, "tunnel", {
      accountId: props.accountId,
      name: props.name,
      configSrc: "cloudflare",
    });
    // Replacing the tunnel changes its id, its token and every CNAME, so its Terraform address
    // is pinned to this construct's id (the address it had before this construct existed).
    this.tunnel.overrideLogicalId(id);
    const token = new DataCloudflareZeroTrustTunnelCloudflaredToken(this, "token", {
      accountId: props.accountId,
      tunnelId: this.tunnel.id,
    });
    token.overrideLogicalId(`${id}-token`);
    this.tunnelId = this.tunnel.id;
    this.token = token.token;
    this.cnameTarget = `${this.tunnel.id}.cfargotunnel.com`;
  }
}
