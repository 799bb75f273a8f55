import { DockerProvider } from "@cdktf/provider-docker/lib/provider";
import { Network } from "@cdktf/provider-docker/lib/network";
import { RandomProvider } from "@cdktf/provider-random/lib/provider";
import { Construct } from "constructs";
import { GeneratedSecrets } from "../constructs/generated-secrets";
import { tailscaleName } from "../spec/derive";
import { HostSpec } from "../spec/types";
import { EdgeStack } from "./edge-stack";
import { KiteStack, KiteStackProps } from "./kite-stack";

export interface HostStackProps extends KiteStackProps {
  readonly host: HostSpec;
  /** The edge, for the tunnel token. */
  readonly edge: EdgeStack;
  /**
   * Secrets shared by every host. Absent on the primary host, which generates them.
   * @default generated in this stack
   */
  readonly sharedSecrets?: GeneratedSecrets;
}

/** The Docker workloads of one host, over SSH through Tailscale. */
export class HostStack extends KiteStack {
  public readonly host: HostSpec;
  public readonly network: Network;
  /** The generated secrets every host uses (owned by the primary host's stack). */
  public readonly secrets: GeneratedSecrets;

  constructor(scope: Construct, id: string, props: HostStackProps) {
    super(scope, id, props);
    this.host = props.host;
    new DockerProvider(this, "docker", {
      host: `ssh://${props.host.sshUser}@${tailscaleName(props.host)}`,
      // accept-new pins the key on first contact; ControlMaster keeps one SSH session for
      // the many API calls of a plan.
      sshOpts: [
        "-o", "StrictHostKeyChecking=accept-new",
        "-o", "ControlMaster=auto",
        "-o", "ControlPath=~/.ssh/kitestacks-%r@%h:%p",
        "-o", "ControlPersist=60",
        "-o", "ServerAliveInterval=15",
      ],
    });
    if (props.sharedSecrets) {
      this.secrets = props.sharedSecrets;
    } else {
      new RandomProvider(this, "random");
      this.secrets = new GeneratedSecrets(this, "secrets", { spec: props.spec });
    }
    const net = props.spec.dockerNetwork;
    this.network = new Network(this, "network", {
      name: net.name,
      driver: "bridge",
      ipamConfig: [{ subnet: net.subnet, gateway: net.gateway }],
    });
  }
}
