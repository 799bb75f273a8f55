import { CloudflareProvider } from "@cdktf/provider-cloudflare/lib/provider";
import { DataCloudflareZeroTrustTunnelCloudflaredToken } from "@cdktf/provider-cloudflare/lib/data-cloudflare-zero-trust-tunnel-cloudflared-token";
import { ZeroTrustTunnelCloudflared } from "@cdktf/provider-cloudflare/lib/zero-trust-tunnel-cloudflared";
import { Construct } from "constructs";
import { FIXED_INPUTS } from "../constructs/homelab-inputs";
import { KiteStack, KiteStackProps } from "./kite-stack";

/** The Cloudflare edge: the tunnel, its ingress, DNS and Access, all derived from the spec. */
export class EdgeStack extends KiteStack {
  /** The connector token (sensitive): host stacks read it by cross-stack reference. */
  public readonly tunnelToken: string;

  constructor(scope: Construct, id: string, props: KiteStackProps) {
    super(scope, id, props);
    new CloudflareProvider(this, "cloudflare", { apiToken: this.inputs.string(FIXED_INPUTS.cloudflareApiToken) });
    const accountId = this.inputs.string(FIXED_INPUTS.cloudflareAccountId);
    const tunnel = new ZeroTrustTunnelCloudflared(this, "tunnel", {
      accountId,
      name: this.spec.tunnelName,
      configSrc: "cloudflare",
    });
    this.tunnelToken = new DataCloudflareZeroTrustTunnelCloudflaredToken(this, "tunnel-token", {
      accountId,
      tunnelId: tunnel.id,
    }).token;
  }
}
