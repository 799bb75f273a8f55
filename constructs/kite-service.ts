import { Container, ContainerUpload } from "@cdktf/provider-docker/lib/container";
import { Network } from "@cdktf/provider-docker/lib/network";
import { Volume } from "@cdktf/provider-docker/lib/volume";
import { Construct } from "constructs";
import { HealthcheckSpec, TmpfsSpec } from "../homelab/types";
import { IContainerImage } from "./container-image";
import { dockerDuration } from "./docker-duration";
import { PidsLimit } from "./pids-limit";

/** Processes and threads a container may hold when its spec says nothing (docs/security.md). */
export const DEFAULT_PIDS_LIMIT = 512;

/** Label keys every managed container carries (the policy checks and `docker ps` filters use them). */
export const LABELS = {
  service: "org.kitestacks.service",
  host: "org.kitestacks.host",
  managedBy: "org.kitestacks.managed-by",
  role: "org.kitestacks.role",
  /** The port the container serves on (the tunnel's ingress port must match it). */
  port: "org.kitestacks.port",
  /** "replicated" or "homed" (app, forwarder and agent containers). */
  placement: "org.kitestacks.placement",
  /** The home host of a homed service (forwarders and agents). */
  home: "org.kitestacks.home",
  /** On a volume: why a copy per host is harmless (replicated services only). */
  replicaSafe: "org.kitestacks.replica-safe",
} as const;

export const MANAGED_BY = "kitestacks-iac";

/** A named volume mounted into the container. */
export interface KiteServiceVolume {
  readonly volume: Volume;
  readonly mountPath: string;
}

/** A port published on one host address. */
export interface KiteServiceHostPort {
  readonly containerPort: number;
  readonly hostPort: number;
  /** The one address it binds (a Tailscale address); never 0.0.0.0. */
  readonly address: string;
}

export interface KiteServiceProps {
  /** Container name: how the tunnel and sibling containers reach it. */
  readonly name: string;
  /** Spec service it belongs to (label). */
  readonly service: string;
  /** Host it runs on (label). */
  readonly host: string;
  readonly image: IContainerImage;
  /** Port the app listens on inside the container. */
  readonly port: number;
  /**
   * The bridge network it joins. Required unless `hostNamespaces` is set.
   * @default none (host network)
   */
  readonly network?: Network;
  /** @default {} */
  readonly env?: Readonly<Record<string, string>>;
  /** @default [] */
  readonly volumes?: readonly KiteServiceVolume[];
  /** @default [] */
  /** Host paths; `createIfMissing` ones become host-path volumes Docker creates when missing. @default [] */
  readonly bindMounts?: readonly { readonly hostPath: string; readonly containerPath: string; readonly readOnly?: boolean; readonly createIfMissing?: boolean }[];
  /** @default the image's command */
  readonly command?: readonly string[];
  /** @default the image's user */
  readonly user?: string;
  readonly healthcheck: HealthcheckSpec;
  /** @default 512 */
  readonly memoryMb?: number;
  /** `ssh://<user>@<host>`: where the docker CLI applies the pids limit. */
  readonly dockerHost: string;
  /**
   * Most processes and threads at once (Docker's PidsLimit, set by {@link PidsLimit}).
   * @default DEFAULT_PIDS_LIMIT (512)
   */
  readonly pidsLimit?: number;
  /** Size of /dev/shm in MB. @default Docker's (64) */
  readonly shmSizeMb?: number;
  /** @default [] */
  readonly hostPorts?: readonly KiteServiceHostPort[];
  /**
   * Share the host's network and pid namespaces.
   * @default false
   */
  readonly hostNamespaces?: boolean;
  /**
   * Drop every capability and add back only these.
   * @default Docker's default capability set
   */
  readonly capAdd?: readonly string[];
  /**
   * Read-only root filesystem with tmpfs at these paths (no uploads possible then).
   * @default writable root filesystem
   */
  readonly readOnlyTmpfs?: readonly TmpfsSpec[];
  /** Extra /etc/hosts entries, e.g. the shared Postgres name on another host. @default [] */
  readonly extraHosts?: readonly { readonly host: string; readonly ip: string }[];
  /** Files written into the container at creation (secrets as files, blueprints). @default [] */
  readonly uploads?: readonly ContainerUpload[];
  /** Role label, e.g. "app", "database", "connector". @default "app" */
  readonly role?: string;
  /** @default "10m" */
  readonly logMaxSize?: string;
  /** @default 3 */
  readonly logMaxFiles?: number;
  /** Network aliases besides the container name. @default [] */
  readonly aliases?: readonly string[];
  /** Kernel parameters of the container's namespaces, e.g. unprivileged low ports. @default none */
  readonly sysctls?: Readonly<Record<string, string>>;
  /**
   * Host directories mounted read-write, created by Docker when missing (unlike bindMounts).
   * @default []
   */
  readonly hostDirs?: readonly { readonly hostPath: string; readonly containerPath: string }[];
  /** Labels besides the standard ones (placement, home host). @default {} */
  readonly extraLabels?: Readonly<Record<string, string>>;
}

/** A tmpfs path and its mount options (tmpfs(5): uid, gid, mode, size). */
function tmpfsEntry(t: TmpfsSpec): [string, string] {
  if (typeof t === "string") return [t, "rw,noexec,nosuid,size=64m,mode=1777"];
  return [t.path, `rw,noexec,nosuid,size=64m,uid=${t.uid},gid=${t.gid},mode=0755`];
}

/**
 * One long-running container the KiteStacks way: pinned or built image, restart
 * unless-stopped, healthcheck, rotated json-file logs, no-new-privileges, a memory limit, a
 * pids limit, labels, and the kitestacks network. Host ports bind a single named address.
 */
export class KiteService extends Construct {
  public readonly container: Container;
  /** `http://<name>:<port>`: what the tunnel ingress and sibling containers use. */
  public readonly internalUrl: string;
  public readonly name: string;
  public readonly pidsLimit: PidsLimit;

  constructor(scope: Construct, id: string, props: KiteServiceProps) {
    super(scope, id);
    if (!props.network && !props.hostNamespaces) {
      throw new Error(`KiteService ${props.name}: give it a network, or set hostNamespaces`);
    }
    if (props.readOnlyTmpfs && (props.uploads ?? []).length > 0) {
      throw new Error(`KiteService ${props.name}: a read-only root filesystem cannot receive uploaded files; drop readOnlyTmpfs or the uploads`);
    }
    for (const p of props.hostPorts ?? []) {
      if (p.address === "0.0.0.0" || p.address === "::" || p.address === "") {
        throw new Error(`KiteService ${props.name}: host port ${p.hostPort} must bind one named address, not ${JSON.stringify(p.address)}`);
      }
    }
    this.name = props.name;
    this.internalUrl = `http://${props.name}:${props.port}`;
    const hc = props.healthcheck;
    this.container = new Container(this, "container", {
      name: props.name,
      image: props.image.imageId,
      restart: "unless-stopped",
      mustRun: true,
      command: props.command ? [...props.command] : undefined,
      user: props.user,
      // Sorted so a reordering in code is not a diff (env changes replace the container).
      env: Object.entries(props.env ?? {})
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, v]) => `${k}=${v}`),
      memory: props.memoryMb ?? 512,
      // Docker's own default (memory + swap = twice the limit), written out. Left unset, the
      // engine fills it in and the provider, whose memory_swap is optional but not computed,
      // reads it back as a diff on every plan ("memory_swap = 512 -> null"; found by the e2e).
      // A kernel without swap accounting reports -1 instead: that host would show the diff.
      memorySwap: (props.memoryMb ?? 512) * 2,
      shmSize: props.shmSizeMb,
      securityOpts: ["no-new-privileges:true"],
      logDriver: "json-file",
      logOpts: { "max-size": props.logMaxSize ?? "10m", "max-file": String(props.logMaxFiles ?? 3) },
      healthcheck: {
        test: [...hc.test],
        // Canonical Go durations: what the provider reads back ("60s" would come back "1m0s").
        interval: dockerDuration(hc.interval ?? "30s", `${props.name} healthcheck.interval`),
        timeout: dockerDuration(hc.timeout ?? "5s", `${props.name} healthcheck.timeout`),
        retries: hc.retries ?? 3,
        startPeriod: dockerDuration(hc.startPeriod ?? "30s", `${props.name} healthcheck.startPeriod`),
      },
      labels: [
        { label: LABELS.service, value: props.service },
        { label: LABELS.host, value: props.host },
        { label: LABELS.managedBy, value: MANAGED_BY },
        { label: LABELS.role, value: props.role ?? "app" },
        { label: LABELS.port, value: String(props.port) },
        { label: "org.opencontainers.image.ref.name", value: props.image.ref },
        ...Object.entries(props.extraLabels ?? {})
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([label, value]) => ({ label, value })),
      ],
      sysctls: props.sysctls ? { ...props.sysctls } : undefined,
      // Explicit and equal to what Docker reports back (HostConfig.NetworkMode), so the
      // provider's default never shows up as drift.
      networkMode: props.hostNamespaces ? "host" : props.network!.name,
      // The host's network only: never its PID namespace (every host process visible, signalable).
      networksAdvanced: props.network
        ? [{ name: props.network.name, aliases: props.aliases ? [...props.aliases] : undefined }]
        : undefined,
      ports: (props.hostPorts ?? []).map((p) => ({ internal: p.containerPort, external: p.hostPort, ip: p.address, protocol: "tcp" })),
      volumes: [
        ...(props.volumes ?? []).map((v) => ({ volumeName: v.volume.name, containerPath: v.mountPath })),
        ...(props.hostDirs ?? []).map((d) => ({ hostPath: d.hostPath, containerPath: d.containerPath })),
        ...(props.bindMounts ?? [])
          .filter((m) => m.createIfMissing)
          .map((m) => ({ hostPath: m.hostPath, containerPath: m.containerPath, readOnly: m.readOnly ?? true })),
      ],
      mounts: (props.bindMounts ?? []).filter((m) => !m.createIfMissing).map((m) => ({
        type: "bind",
        source: m.hostPath,
        target: m.containerPath,
        readOnly: m.readOnly ?? true,
      })),
      host: props.extraHosts?.map((h) => ({ host: h.host, ip: h.ip })),
      upload: props.uploads ? [...props.uploads] : undefined,
      // Written as the engine reports them back (Docker normalizes to CAP_<NAME> and keeps ALL):
      // "CHOWN" was read back as "CAP_CHOWN", and capabilities forces replacement, so every
      // plan replaced the container (found by the e2e).
      capabilities: props.capAdd ? { drop: ["ALL"], add: props.capAdd.map((c) => (c.startsWith("CAP_") ? c : `CAP_${c}`)) } : undefined,
      readOnly: props.readOnlyTmpfs ? true : undefined,
      tmpfs: props.readOnlyTmpfs ? Object.fromEntries(props.readOnlyTmpfs.map(tmpfsEntry)) : undefined,
    });
    this.pidsLimit = new PidsLimit(this, "pids-limit", {
      container: this.container,
      dockerHost: props.dockerHost,
      limit: props.pidsLimit ?? DEFAULT_PIDS_LIMIT,
    });
  }
}
