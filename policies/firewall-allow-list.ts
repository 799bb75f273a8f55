import { FirewallInboundRule, HostSpec } from "../homelab/types";
import { FindingDraft, Policy, PolicyContext, StackView } from "./context";

const WORLD = new Set(["0.0.0.0/0", "::/0"]);

/** The inbound rules the spec opens on purpose, for the host a stack belongs to (all hcloud hosts when unknown). */
function allowList(ctx: PolicyContext, stack: StackView): readonly FirewallInboundRule[] {
  const own = (stack.construct as unknown as { host?: HostSpec }).host;
  const hosts = own && ctx.spec.hosts.includes(own) ? [own] : ctx.spec.hosts;
  return hosts.flatMap((h) => (h.provisioning.kind === "hcloud" ? h.provisioning.firewallInbound ?? [] : []));
}

function allowed(rule: Record<string, any>, world: readonly string[], list: readonly FirewallInboundRule[]): boolean {
  return list.some(
    (entry) =>
      entry.protocol === rule.protocol &&
      (entry.port ?? undefined) === (rule.port ?? undefined) &&
      world.every((cidr) => entry.sourceCidrs.includes(cidr)),
  );
}

/**
 * The Hetzner firewall opens nothing to the whole internet unless the spec says so: SSH and
 * the Docker API go over Tailscale and cloudflared only dials out.
 */
export const firewallAllowList: Policy = {
  id: "firewall-allow-list",
  description: "No hcloud_firewall inbound rule is open to 0.0.0.0/0 or ::/0 unless the host's firewallInbound lists it",
  check(ctx: PolicyContext): FindingDraft[] {
    const drafts: FindingDraft[] = [];
    for (const resource of ctx.resources("hcloud_firewall")) {
      const rules = Array.isArray(resource.body.rule) ? resource.body.rule : resource.body.rule ? [resource.body.rule] : [];
      const list = allowList(ctx, resource.stack);
      rules.forEach((rule: Record<string, any>, i: number) => {
        if ((rule.direction ?? "in") !== "in") return;
        const sources: string[] = Array.isArray(rule.source_ips) ? rule.source_ips.map(String) : [];
        const world = sources.filter((s) => WORLD.has(s.trim()));
        if (world.length === 0 || allowed(rule, world, list)) return;
        drafts.push({
          resource,
          value: { direction: rule.direction, protocol: rule.protocol, port: rule.port, source_ips: rule.source_ips },
          problem: `rule[${i}] (${rule.protocol ?? "?"} ${rule.port ?? "any port"}) is open to ${world.join(", ")} and the spec's firewallInbound does not list it`,
          fix: "reach it over Tailscale instead, or add it to hosts[].provisioning.firewallInbound in homelab/hosts.ts with a reason",
        });
      });
    }
    return drafts;
  },
};
