import { Container } from "@cdktf/provider-docker/lib/container";
import { DataResource } from "cdktf";
import { Construct } from "constructs";

/** Smallest limit a container may get: its entrypoint alone forks a handful of processes. */
export const MIN_PIDS_LIMIT = 16;
/** Largest: beyond this a limit no longer protects a small host (pid_max is 32768 on some). */
export const MAX_PIDS_LIMIT = 16384;

export interface PidsLimitProps {
  readonly container: Container;
  /** `ssh://<user>@<tailscale name>`: where the docker CLI applies the limit. */
  readonly dockerHost: string;
  /** Most processes and threads the container may hold at once (its cgroup's pids.max). */
  readonly limit: number;
}

/**
 * A container's pids limit (Docker's `HostConfig.PidsLimit`, the pids cgroup's `pids.max`): a
 * fork bomb or a thread leak inside it fails with EAGAIN at the limit instead of exhausting the
 * host's process table. The pinned Docker provider (kreuzwerker/docker 3.6.2) has no `pids_limit`
 * on docker_container, so the limit is set with `docker update --pids-limit` right after the
 * container is created, and again whenever it is replaced or the limit changes. Docker persists
 * it in the container's hostconfig.json: restarts, `restart: unless-stopped` and a dockerd
 * restart keep it. It works with both cgroup drivers and needs nothing on the host (a
 * `cgroup_parent` slice with TasksMax would need a unit file per container on every host).
 *
 * Not bounded: the first moments between the container's start and this step (the image's own
 * entrypoint, not an attacker's input, runs then). `ulimit nproc` is no substitute: RLIMIT_NPROC
 * counts every process of the uid on the whole host (all containers running as uid 1000 share
 * one count, host processes of that uid too) and root ignores it.
 */
export class PidsLimit extends Construct {
  public readonly resource: DataResource;

  constructor(scope: Construct, id: string, props: PidsLimitProps) {
    super(scope, id);
    if (!Number.isInteger(props.limit) || props.limit < MIN_PIDS_LIMIT || props.limit > MAX_PIDS_LIMIT) {
      throw new Error(`PidsLimit: ${props.limit} is not a whole number of ${MIN_PIDS_LIMIT}-${MAX_PIDS_LIMIT}`);
    }
    const name = props.container.name;
    this.resource = new DataResource(this, "apply", {
      triggersReplace: { container_id: props.container.id, pids_limit: String(props.limit) },
      provisioners: [
        {
          type: "local-exec",
          interpreter: ["/bin/sh", "-c"],
          command: `docker update --pids-limit ${props.limit} ${name} >/dev/null`,
          environment: { DOCKER_HOST: props.dockerHost },
        },
      ],
    });
  }
}
