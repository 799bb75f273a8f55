import { Container } from "@cdktf/provider-docker/lib/container";
import { DataResource, Fn } from "cdktf";
import { Construct } from "constructs";
import { createHash } from "node:crypto";
import { PostStartStep as PostStartStepSpec } from "../homelab/types";

/** Processes a one-shot step sidecar may hold at once. */
export const STEP_SIDECAR_PIDS_LIMIT = 64;

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
 *
 * It is a `terraform_data` (built into Terraform >= 1.4, no provider to install) with the
 * provisioner; it was a hashicorp/null `null_resource`, and a `moved` block carries existing
 * state over without re-running the step (Terraform >= 1.9 moves null_resource state to
 * terraform_data, mapping `triggers` to `triggers_replace`:
 * internal/builtin/providers/terraform/resource_data.go, moveDataStoreResourceState).
 */
export class PostStartStep extends Construct {
  public readonly resource: DataResource;

  constructor(scope: Construct, id: string, props: PostStartStepProps) {
    super(scope, id);
    const envNames = Object.keys(props.step.env ?? {}).sort();
    const userFlag = props.step.user ? `-u ${props.step.user} ` : "";
    const envFlags = envNames.map((n) => `-e ${n} `).join("");
    const name = props.container.name;
    // A shell-less image (Portainer) gets a one-shot sidecar in its network namespace instead,
    // bounded like every container (a shell script with curl and jq forks a few at a time).
    const run = props.step.image
      ? `docker run --rm --network container:${name} ${userFlag}${envFlags}--pids-limit ${STEP_SIDECAR_PIDS_LIMIT} --entrypoint /bin/sh ${props.step.image} -c "$KITE_STEP_SCRIPT"`
      : `docker exec ${userFlag}${envFlags}${name} sh -c "$KITE_STEP_SCRIPT"`;
    const hash = createHash("sha256").update(props.step.shell).update(envNames.join(","));
    // Only hashed when set, so steps written before these options keep their trigger value.
    if (props.step.image) hash.update(`image=${props.step.image}`);
    if (props.step.restartAfter) hash.update("restart");
    this.resource = new DataResource(this, "run", {
      triggersReplace: {
        container_id: props.container.id,
        step: hash.digest("hex"),
        // A rotated secret re-runs the step too; only its hash reaches the plan.
        ...(envNames.length > 0 ? { env: Fn.sha256(Fn.join("\n", envNames.map((n) => props.step.env![n]))) } : {}),
      },
      provisioners: [
        {
          type: "local-exec",
          interpreter: ["/bin/sh", "-c"],
          command: props.step.restartAfter ? `${run} && docker restart ${name}` : run,
          environment: {
            DOCKER_HOST: props.dockerHost,
            KITE_STEP_SCRIPT: props.step.shell,
            ...props.step.env,
          },
        },
      ],
    });
    // Same logical id as the null_resource it replaces (construct ids are unchanged).
    this.resource.moveFromId(`null_resource.${this.resource.friendlyUniqueId}`);
  }
}
