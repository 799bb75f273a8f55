import { Construct } from "constructs";
import { Firewall } from "../.gen/providers/hcloud/firewall";
import { FirewallInboundRule } from "../homelab/types";

export interface HcloudFirewallProps {
  /** Firewall name in the Hetzner project (unique per project). */
  readonly name: string;
  /**
   * Inbound rules the spec opens on purpose; spec validation already refuses SSH, the Docker
   * API, Postgres and Redis to the whole internet.
   * @default [] (nothing inbound)
   */
  readonly inbound?: readonly FirewallInboundRule[];
  /** @default {} */
  readonly labels?: Readonly<Record<string, string>>;
}

/**
 * A Hetzner Cloud firewall that is closed by default.
 *
 * Hetzner drops every inbound packet no rule allows, so with no spec rules nothing is reachable
 * from the internet: SSH and the Docker API go over Tailscale, cloudflared only dials out, and
 * replies to outbound connections pass because the firewall is stateful. No outbound rules are
 * set, which Hetzner treats as "allow all": apt, image pulls, Tailscale (DERP on 443, UDP
 * 41641) and cloudflared (7844) need broad egress, and a list of it would protect little.
 */
export class HcloudFirewall extends Construct {
  public readonly firewall: Firewall;

  constructor(scope: Construct, id: string, props: HcloudFirewallProps) {
    super(scope, id);
    const rules = (props.inbound ?? []).map((rule) => ({
      direction: "in",
      protocol: rule.protocol,
      port: rule.protocol === "icmp" ? undefined : rule.port,
      sourceIps: [...rule.sourceCidrs],
      description: rule.reason,
    }));
    this.firewall = new Firewall(this, "firewall", {
      name: props.name,
      labels: { ...props.labels },
      rule: rules.length > 0 ? rules : undefined,
    });
  }
}
