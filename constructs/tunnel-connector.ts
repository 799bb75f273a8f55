import { Network } from "@cdktf/provider-docker/lib/network";
import { Construct } from "constructs";
import { IContainerImage } from "./container-image";
import { KiteService } from "./kite-service";

export interface TunnelConnectorProps {
  /** Host it runs on (labels). */
  readonly host: string;
  readonly image: IContainerImage;
  readonly network: Network;
  /** The tunnel token (sensitive): written to a file in the container, not to its env. */
  readonly token: string;
  /** @default 2000 */
  readonly metricsPort?: number;
  /** `ssh://<user>@<host>`: where the docker CLI applies the pids limit. */
  readonly dockerHost: string;
}

/** Where the token file lives inside the container. */
const TOKEN_FILE = "/etc/cloudflared/token";

/** The connector's container name on every connector host. */
export const CONNECTOR_CONTAINER = "cloudflared";

/**
 * A cloudflared connector of the tunnel. Every connector host runs one; Cloudflare sends each
 * request to the nearest healthy one. The token is read from a file (TUNNEL_TOKEN_FILE,
 * cloudflared >= 2025.4), so it does not show in `docker inspect`.
 */
export class TunnelConnector extends Construct {
  public readonly service: KiteService;

  constructor(scope: Construct, id: string, props: TunnelConnectorProps) {
    super(scope, id);
    const metricsPort = props.metricsPort ?? 2000;
    const metrics = `0.0.0.0:${metricsPort}`;
    this.service = new KiteService(this, "cloudflared", {
      name: CONNECTOR_CONTAINER,
      service: CONNECTOR_CONTAINER,
      host: props.host,
      role: "connector",
      image: props.image,
      port: metricsPort,
      network: props.network,
      command: ["tunnel", "--no-autoupdate", "--metrics", metrics, "run"],
      env: { TUNNEL_TOKEN_FILE: TOKEN_FILE },
      uploads: [{ file: TOKEN_FILE, content: props.token, permissions: "0444" }],
      // The image is distroless: cloudflared itself asks its metrics server for /ready.
      healthcheck: { test: ["CMD", "cloudflared", "tunnel", "--metrics", `127.0.0.1:${metricsPort}`, "ready"], interval: "30s" },
      memoryMb: 128,
      // One Go process: its OS threads (GOMAXPROCS plus blocked syscalls), nothing forked.
      pidsLimit: 128,
      // Distroless, as uid 65532 from the start (cloudflare/cloudflared 2025.11.1 Dockerfile
      // `USER 65532:65532`), metrics on 2000: no capability.
      capAdd: [],
      dockerHost: props.dockerHost,
    });
  }
}
