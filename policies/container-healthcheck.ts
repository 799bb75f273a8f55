import { FindingDraft, Policy, PolicyContext } from "./context";
import { JOB_HINT, longRunningContainers } from "./long-running";

/** Docker (and Portainer, and `docker ps`) can tell a hung app from a healthy one. */
export const containerHealthcheck: Policy = {
  id: "container-healthcheck",
  description: "Every long-running container has a healthcheck",
  check(ctx: PolicyContext): FindingDraft[] {
    return longRunningContainers(ctx)
      .filter((r) => {
        const test = r.body.healthcheck?.test;
        return !Array.isArray(test) || test.length === 0 || test[0] === "NONE";
      })
      .map((resource) => ({
        resource,
        value: resource.body.healthcheck,
        problem: "no healthcheck test, so a hung app looks healthy",
        fix: `give the spec entry a healthcheck (services[].healthcheck) or pass one to KiteService; ${JOB_HINT}`,
      }));
  },
};
