import { isJob, PolicyContext, ResourceView } from "./context";

/** Containers that must keep running: every docker_container except role "job" (one-shot). */
export function longRunningContainers(ctx: PolicyContext): ResourceView[] {
  return ctx.resources("docker_container").filter((r) => !isJob(r.body));
}

/** Appended to fixes of the long-running rules: how to say a container is one-shot. */
export const JOB_HINT = 'a one-shot container carries the label org.kitestacks.role=job instead';
