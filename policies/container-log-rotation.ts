import { FindingDraft, Policy, PolicyContext } from "./context";
import { JOB_HINT, longRunningContainers } from "./long-running";

/** Logs never fill a disk: json-file with a size cap. */
export const containerLogRotation: Policy = {
  id: "container-log-rotation",
  description: "Every long-running container logs to json-file with max-size",
  check(ctx: PolicyContext): FindingDraft[] {
    return longRunningContainers(ctx)
      .filter((r) => r.body.log_driver !== "json-file" || !r.body.log_opts?.["max-size"])
      .map((resource) => ({
        resource,
        value: { log_driver: resource.body.log_driver, log_opts: resource.body.log_opts },
        problem: "logs are not rotated (needs log_driver json-file and log_opts max-size)",
        fix: `set logDriver "json-file" and logOpts { "max-size": "10m", "max-file": "3" } (KiteService does); ${JOB_HINT}`,
      }));
  },
};
