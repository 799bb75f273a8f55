import { LABELS } from "../constructs/kite-service";
import { containerBudgetMb, hostMemoryMb, osReserveMb } from "../homelab/capacity";
import { FindingDraft, labelsOf, Policy, PolicyContext, ResourceView } from "./context";
import { longRunningContainers } from "./long-running";

/** A container's memory limit in MB, as synthesized (`memory`), or undefined when unset. */
function limitMb(r: ResourceView): number | undefined {
  const m = r.body.memory;
  return typeof m === "number" ? m : typeof m === "string" && /^\d+$/.test(m) ? Number(m) : undefined;
}

/**
 * Every host's long-running containers' memory limits fit in its RAM minus the OS reserve
 * (homelab/capacity.ts): otherwise the kernel's OOM killer, not a limit, decides what dies.
 * One finding per host, listing every container with its limit.
 */
export const hostMemoryFits: Policy = {
  id: "host-memory-fits",
  description: "Each host's long-running containers' memory limits add up to no more than its RAM minus the OS reserve",
  check(ctx: PolicyContext): FindingDraft[] {
    const drafts: FindingDraft[] = [];
    const byHost = new Map<string, ResourceView[]>();
    for (const r of longRunningContainers(ctx)) {
      const host = labelsOf(r.body).get(LABELS.host);
      if (!host) continue;
      byHost.set(host, [...(byHost.get(host) ?? []), r]);
    }
    for (const [hostName, containers] of byHost) {
      const host = ctx.spec.hosts.find((h) => h.name === hostName);
      if (!host) continue;
      const ram = hostMemoryMb(host);
      const budget = containerBudgetMb(host);
      const unlimited = containers.filter((c) => limitMb(c) === undefined);
      for (const c of unlimited) {
        drafts.push({
          resource: c,
          value: c.body.memory,
          problem: `container ${c.body.name} on ${hostName} has no memory limit, so the host's memory budget cannot be checked`,
          fix: "give it memoryMb in its service file under homelab/services/",
        });
      }
      if (ram === undefined || budget === undefined) continue;
      const sorted = [...containers].sort((a, b) => (limitMb(b) ?? 0) - (limitMb(a) ?? 0) || String(a.body.name).localeCompare(String(b.body.name)));
      const total = sorted.reduce((sum, c) => sum + (limitMb(c) ?? 0), 0);
      if (total <= budget) continue;
      drafts.push({
        resource: sorted[0],
        value: `${total} MB`,
        problem:
          `the long-running containers on ${hostName} have memory limits adding up to ${total} MB, over the ${budget} MB its ${ram} MB of RAM leaves after the ${osReserveMb(host)} MB OS reserve: ` +
          sorted.map((c) => `${c.body.name} ${limitMb(c) ?? "?"} MB`).join(", "),
        fix:
          host.provisioning.kind === "hcloud"
            ? `pick a server type with more RAM for ${hostName} (provisioning.serverType in homelab/hosts.ts; homelab/capacity.ts lists them), home some services on another host, or lower their memoryMb`
            : `home some services on another host, lower their memoryMb, or correct ${hostName}'s memoryMb in homelab/hosts.ts`,
      });
    }
    return drafts;
  },
};
