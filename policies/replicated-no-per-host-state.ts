import { LABELS } from "../constructs/kite-service";
import { FindingDraft, labelsOf, Policy, PolicyContext, ROLE_LABEL } from "./context";

const VOLUME_REF = /^\$\{docker_volume\.([^.}]+)\.name\}$/;

/**
 * A replicated service runs a copy on every connector host, and Cloudflare may hand a user's
 * next request to any of them: a copy may keep nothing per host that a request needs later. A
 * per-host database, or a volume without a stated reason why its copy per host is harmless
 * (`replicaSafe`), is per-host state.
 */
export const replicatedNoPerHostState: Policy = {
  id: "replicated-no-per-host-state",
  description: "A replicated service keeps no per-host state: no database of its own, and only volumes marked replica-safe",
  check(ctx: PolicyContext): FindingDraft[] {
    const drafts: FindingDraft[] = [];
    for (const stack of ctx.stacks) {
      const containers = ctx.resourcesIn(stack, "docker_container");
      const volumes = new Map(ctx.resourcesIn(stack, "docker_volume").map((v) => [v.logicalId, v]));
      const replicated = new Set(
        containers.filter((c) => labelsOf(c.body).get(LABELS.placement) === "replicated").map((c) => labelsOf(c.body).get(LABELS.service)),
      );
      for (const c of containers) {
        const labels = labelsOf(c.body);
        const service = labels.get(LABELS.service);
        if (!service || !replicated.has(service)) continue;
        const host = labels.get(LABELS.host) ?? stack.name;
        const fix = `home ${service} on one host (placement: { mode: "homed", home, reason, tailnetPort } in homelab/services/${service}/${service}.ts), or share that state`;
        if (labels.get(ROLE_LABEL) === "database") {
          drafts.push({ resource: c, value: c.body.name, problem: `${service} is replicated but runs its own database ${c.body.name} on ${host}, so each host answers from different data`, fix });
        }
        for (const mount of Array.isArray(c.body.volumes) ? c.body.volumes : []) {
          // A read-only host directory is something the host tells it (the metrics API reads the
          // backup job's status files), not state it keeps: it cannot write there.
          if (mount.host_path && mount.read_only === true) continue;
          const m = VOLUME_REF.exec(String(mount.volume_name ?? ""));
          const volume = m ? volumes.get(m[1]) : undefined;
          if (volume && labelsOf(volume.body).get(LABELS.replicaSafe)?.trim()) continue;
          drafts.push({
            resource: c,
            value: mount.container_path,
            problem: `${service} is replicated but ${c.body.name} on ${host} mounts ${volume ? volume.body.name : mount.volume_name} at ${mount.container_path}, a per-host volume with no replica-safe reason`,
            fix: `${fix}; or, when nothing a user writes lands there, say why in volumes[].replicaSafe`,
          });
        }
      }
    }
    return drafts;
  },
};
