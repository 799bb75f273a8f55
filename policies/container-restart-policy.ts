import { FindingDraft, Policy, PolicyContext } from "./context";
import { JOB_HINT, longRunningContainers } from "./long-running";

const RESTARTING = new Set(["always", "unless-stopped", "on-failure"]);

/** Long-running containers come back after a crash or a host reboot. */
export const containerRestartPolicy: Policy = {
  id: "container-restart-policy",
  description: "Every long-running container has a restart policy (unless-stopped, always or on-failure)",
  check(ctx: PolicyContext): FindingDraft[] {
    return longRunningContainers(ctx)
      .filter((r) => !RESTARTING.has(String(r.body.restart ?? "no")))
      .map((resource) => ({
        resource,
        value: resource.body.restart,
        problem: `restart is ${resource.body.restart === undefined ? "unset (Docker's default: no)" : JSON.stringify(resource.body.restart)}, so the container stays down after a crash or reboot`,
        fix: `set restart "unless-stopped" (KiteService does); ${JOB_HINT}`,
      }));
  },
};
