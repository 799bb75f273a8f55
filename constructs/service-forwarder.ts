import { Network } from "@cdktf/provider-docker/lib/network";
import { Construct } from "constructs";
import { IContainerImage } from "./container-image";
import { forwarderNginxConfig, FORWARDER_HEALTH_PATH } from "./forwarder-nginx-config";
import { KiteService, LABELS } from "./kite-service";

/** Where nginx-unprivileged's nginx.conf picks up server blocks (inside its http {} block). */
export const FORWARDER_CONFIG_PATH = "/etc/nginx/conf.d/default.conf";

/** Role label of forwarder containers (`docker ps --filter label=org.kitestacks.role=forwarder`). */
export const FORWARDER_ROLE = "forwarder";

export interface ServiceForwarderProps {
  /** The homed service's spec name: also the container name, so the tunnel ingress resolves. */
  readonly service: string;
  /** Display name, for the down page. */
  readonly title: string;
  /** The host this forwarder runs on. */
  readonly host: string;
  /** The service's home host. */
  readonly homeHost: string;
  /** The service's port: the forwarder listens on the same one. */
  readonly port: number;
  /** The home's Tailscale address (a Terraform variable token). */
  readonly homeAddress: string;
  /** The port the home publishes the service on, on its Tailscale address. */
  readonly homePort: number;
  /** A pinned nginx-unprivileged image. */
  readonly image: IContainerImage;
  /** The kitestacks network, where cloudflared resolves the container name. */
  readonly network: Network;
  /**
   * Request body limit passed on to nginx (`client_max_body_size`).
   * @default "0" (no limit: Forgejo pushes over HTTP)
   */
  readonly maxBodySize?: string;
  /**
   * Memory limit: nginx with one worker stays well under this.
   * @default 32
   */
  readonly memoryMb?: number;
  /**
   * Processes at once: nginx's master and one worker per CPU (worker_processes auto), plus the
   * entrypoint's scripts at start.
   * @default 64
   */
  readonly pidsLimit?: number;
  /** `ssh://<user>@<host>`: where the docker CLI applies the pids limit. */
  readonly dockerHost: string;
}

/** Loopback port of the forwarder's own health endpoint, away from the service's port. */
export function forwarderHealthPort(servicePort: number): number {
  return servicePort === 18080 ? 18081 : 18080;
}

/**
 * A homed service's stand-in on a connector host that is not its home: nginx under the
 * service's container name and port, proxying to the home host over Tailscale, with a page
 * naming the home host (503, Retry-After) when the home does not answer. The config is
 * generated from the homelab description and written into the container at creation, so a
 * change replaces the container.
 */
export class ServiceForwarder extends Construct {
  public readonly main: KiteService;
  /** The generated nginx config (may hold the home address as a Terraform token). */
  public readonly config: string;

  constructor(scope: Construct, id: string, props: ServiceForwarderProps) {
    super(scope, id);
    const healthPort = forwarderHealthPort(props.port);
    this.config = forwarderNginxConfig({
      service: props.service,
      title: props.title,
      homeHost: props.homeHost,
      viaHost: props.host,
      listenPort: props.port,
      upstreamHost: props.homeAddress,
      upstreamPort: props.homePort,
      maxBodySize: props.maxBodySize,
      healthPort,
    });
    this.main = new KiteService(this, "main", {
      name: props.service,
      service: props.service,
      host: props.host,
      role: FORWARDER_ROLE,
      image: props.image,
      port: props.port,
      network: props.network,
      memoryMb: props.memoryMb ?? 32,
      pidsLimit: props.pidsLimit ?? 64,
      // nginx-unprivileged runs as uid 101 (nginx/docker-nginx-unprivileged mainline/alpine/
      // Dockerfile `USER $UID`); port 80 comes from the sysctl below, not NET_BIND_SERVICE.
      capAdd: [],
      dockerHost: props.dockerHost,
      // nginx-unprivileged runs as uid 101: ports below 1024 (BookStack's 80) need this sysctl.
      sysctls: props.port < 1024 ? { "net.ipv4.ip_unprivileged_port_start": "0" } : undefined,
      healthcheck: {
        test: ["CMD", "wget", "-qO-", `http://127.0.0.1:${healthPort}${FORWARDER_HEALTH_PATH}`],
        interval: "30s",
        startPeriod: "5s",
      },
      uploads: [{ file: FORWARDER_CONFIG_PATH, content: this.config, permissions: "0444" }],
      extraLabels: { [LABELS.home]: props.homeHost, [LABELS.placement]: "homed" },
    });
  }
}
