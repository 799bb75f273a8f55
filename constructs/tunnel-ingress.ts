import {
  ZeroTrustTunnelCloudflaredConfigA,
  ZeroTrustTunnelCloudflaredConfigConfigIngress,
  ZeroTrustTunnelCloudflaredConfigConfigIngressOriginRequest,
} from "@cdktf/provider-cloudflare/lib/zero-trust-tunnel-cloudflared-config";
import { Construct } from "constructs";
import { internalUrl } from "../homelab/derive";
import { OriginSpec, ServiceSpec } from "../homelab/types";
import { CloudflareTunnel } from "./cloudflare-tunnel";

/** One public hostname and the service that answers it (what `publicHostnames` yields). */
export interface TunnelRoute {
  readonly hostname: string;
  readonly service: ServiceSpec;
}

export interface TunnelIngressProps {
  readonly tunnel: CloudflareTunnel;
  /** Hostnames in the order their rules are evaluated. */
  readonly routes: readonly TunnelRoute[];
}

/** What a request matching no hostname gets. */
export const CATCH_ALL_SERVICE = "http_status:404";

/** The provider's origin_request for a service's origin settings, or undefined when it has none. */
export function originRequestOf(
  origin: OriginSpec | undefined,
): ZeroTrustTunnelCloudflaredConfigConfigIngressOriginRequest | undefined {
  if (!origin) return undefined;
  const request: ZeroTrustTunnelCloudflaredConfigConfigIngressOriginRequest = {
    ...(origin.connectTimeoutSeconds !== undefined && { connectTimeout: origin.connectTimeoutSeconds }),
    ...(origin.http2Origin !== undefined && { http2Origin: origin.http2Origin }),
    ...(origin.httpHostHeader !== undefined && { httpHostHeader: origin.httpHostHeader }),
  };
  return Object.keys(request).length > 0 ? request : undefined;
}

/**
 * The tunnel's whole ingress in ONE configuration resource: a second
 * `cloudflare_zero_trust_tunnel_cloudflared_config` for the same tunnel would overwrite this
 * one on every apply.
 *
 * One rule per hostname, pointing at the service's container on the Docker network
 * (`http://<name>:<port>`), so the same rule works on every connector host; then the
 * hostname-less catch-all, which cloudflared requires last.
 */
export class TunnelIngress extends Construct {
  public readonly config: ZeroTrustTunnelCloudflaredConfigA;
  /** The rules as configured, catch-all last. */
  public readonly rules: readonly ZeroTrustTunnelCloudflaredConfigConfigIngress[];

  constructor(scope: Construct, id: string, props: TunnelIngressProps) {
    super(scope, id);
    const seen = new Set<string>();
    for (const { hostname, service } of props.routes) {
      if (seen.has(hostname)) {
        throw new Error(`${this.node.path}: routes[${service.name}].hostname ${JSON.stringify(hostname)} is routed twice. Fix: give each hostname one service.`);
      }
      seen.add(hostname);
    }
    this.rules = [
      ...props.routes.map(({ hostname, service }) => {
        const originRequest = originRequestOf(service.origin);
        return { hostname, service: internalUrl(service), ...(originRequest && { originRequest }) };
      }),
      { service: CATCH_ALL_SERVICE },
    ];
    this.config = new ZeroTrustTunnelCloudflaredConfigA(this, "config", {
      accountId: props.tunnel.accountId,
      tunnelId: props.tunnel.tunnelId,
      // The provider's schema defaults `source` to "local"; this configuration lives in Cloudflare.
      source: "cloudflare",
      config: { ingress: [...this.rules] },
    });
  }
}
