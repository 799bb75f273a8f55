import { Resource } from "@cdktf/provider-null/lib/resource";
import { Container } from "@cdktf/provider-docker/lib/container";
import { Fn } from "cdktf";
import { Construct } from "constructs";
import { createHash } from "node:crypto";
import { PostStartStep as PostStartStepSpec } from "../spec/types";

export interface PostStartStepProps {
  readonly container: Container;
  /** `ssh://<user>@<tailscale name>`: the docker CLI runs the step there. */
  readonly dockerHost: string;
  readonly step: PostStartStepSpec;
}

/**
 * A fix applied inside a running container after it starts (BookStack's cache ownership,
 * SSO settings an app only takes through its CLI or API). It runs again whenever the
 * container is replaced or the step changes, so the step must be idempotent. Values in
 * `step.env` travel as environment variables of the local docker CLI (`docker exec -e NAME`
 * copies them), never in the command text that plans print.
 */
export class PostStartStep extends Construct {
  public readonly resource: Resource;

  constructor(scope: Construct, id: string, props: PostStartStepProps) {
    super(scope, id);
    const envNames = Object.keys(props.step.env ?? {}).sort();
    const userFlag = props.step.user ? `-u ${props.step.user} ` : "";
    const envFlags = envNames.map((n) => `-e ${n} `).join("");
    this.resource = new Resource(this, "run", {
      triggers: {
        container_id: props.container.id,
        step: createHash("sha256").update(props.step.shell).update(envNames.join(",")).digest("hex"),
        // A rotated secret re-runs the step too; only its hash reaches the plan.
        ...(envNames.length > 0 ? { env: Fn.sha256(Fn.join("\n", envNames.map((n) => props.step.env![n]))) } : {}),
      },
      provisioners: [
        {
          type: "local-exec",
          interpreter: ["/bin/sh", "-c"],
          command: `docker exec ${userFlag}${envFlags}${props.container.name} sh -c "$KITE_STEP_SCRIPT"`,
          environment: {
            DOCKER_HOST: props.dockerHost,
            KITE_STEP_SCRIPT: props.step.shell,
            ...props.step.env,
          },
        },
      ],
    });
  }
}
