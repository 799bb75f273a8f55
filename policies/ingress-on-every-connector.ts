import { LABELS } from "../constructs/kite-service";
import { FindingDraft, labelsOf, Policy, PolicyContext, ROLE_LABEL, StackView } from "./context";

/** A stack that runs a tunnel connector (a container with role "connector"). */
function isConnectorStack(ctx: PolicyContext, stack: StackView): boolean {
  return ctx.resourcesIn(stack, "docker_container").some((r) => labelsOf(r.body).get(ROLE_LABEL) === "connector");
}

/** The container name an ingress rule targets, or undefined for http_status:… and IP targets. */
export function ingressTarget(service: string): string | undefined {
  const m = /^https?:\/\/([^/:]+)/.exec(service);
  if (!m || /^\d+\.\d+\.\d+\.\d+$/.test(m[1]) || m[1] === "localhost") return undefined;
  return m[1];
}

/** The port of an ingress target URL (80 for plain http without one). */
export function ingressPort(service: string): string | undefined {
  const m = /^(https?):\/\/[^/:]+(?::(\d+))?/.exec(service);
  if (!m) return undefined;
  return m[2] ?? (m[1] === "https" ? "443" : "80");
}

/**
 * Cloudflare hands each request to whichever connector is nearest and healthy, so every
 * hostname's target container must exist, on the kitestacks network, on every connector host.
 */
export const ingressOnEveryConnector: Policy = {
  id: "ingress-on-every-connector",
  description: "Every tunnel ingress target container runs, on the Docker network, on every connector host",
  check(ctx: PolicyContext): FindingDraft[] {
    const connectors = ctx.stacks.filter((s) => isConnectorStack(ctx, s));
    const drafts: FindingDraft[] = [];
    for (const resource of ctx.resources("cloudflare_zero_trust_tunnel_cloudflared_config")) {
      const ingress: Record<string, any>[] = resource.body.config?.ingress ?? [];
      for (const rule of ingress) {
        const target = ingressTarget(String(rule.service ?? ""));
        if (!target) continue;
        for (const stack of connectors) {
          const container = ctx.resourcesIn(stack, "docker_container").find((c) => c.body.name === target);
          const port = ingressPort(String(rule.service ?? ""));
          const served = container ? labelsOf(container.body).get(LABELS.port) : undefined;
          if (container && container.body.network_mode !== "host" && served !== undefined && port !== undefined && served !== port) {
            drafts.push({
              resource,
              value: rule.service,
              problem: `${rule.hostname ?? "(no hostname)"} routes to ${target}:${port}, but ${target} on connector stack ${stack.name} serves port ${served}`,
              fix: `a forwarder listens on its service's own port: keep the service's port and the ingress in step (both come from the service file under homelab/services/)`,
            });
            continue;
          }
          if (container && container.body.network_mode !== "host") continue;
          drafts.push({
            resource,
            value: rule.service,
            problem: `${rule.hostname ?? "(no hostname)"} routes to ${target}, which ${container ? "uses the host network, so cloudflared cannot reach it by name" : "has no container"} on connector stack ${stack.name}`,
            fix: `replicate the service, or home it (placement: { mode: "homed", ... } in its file under homelab/services/) so the other connectors run its forwarder; or set tunnelConnector: false on hosts that should not serve traffic`,
          });
        }
      }
    }
    return drafts;
  },
};
