import { TerraformOutput } from "cdktf";
import { Construct } from "constructs";
import { HcloudProvider } from "../.gen/providers/hcloud/provider";
import { HcloudDockerHost, SSH_KEY_NAME } from "../constructs/hcloud-docker-host";
import { FIXED_INPUTS } from "../constructs/homelab-inputs";
import { dockerHostUrl, hcloudHosts } from "../homelab/derive";
import { HostSpec } from "../homelab/types";
import { KiteStack, KiteStackProps } from "./kite-stack";

export interface VmStackProps extends KiteStackProps {
  /** The host to create; its provisioning kind is "hcloud". */
  readonly host: HostSpec;
}

/**
 * A Hetzner Cloud VM ready for its Docker workloads (one stack per hcloud host).
 *
 * The VM lives in its own stack because the Docker provider cannot plan against a host that
 * the same plan creates; `<host>-docker` deploys after this one.
 */
export class VmStack extends KiteStack {
  public readonly host: HostSpec;
  public readonly vm: HcloudDockerHost;

  constructor(scope: Construct, id: string, props: VmStackProps) {
    super(scope, id, props);
    this.host = props.host;
    const provisioning = props.host.provisioning;
    if (provisioning.kind !== "hcloud") {
      throw new Error(`hosts[${props.host.name}].provisioning.kind: ${JSON.stringify(provisioning.kind)} is not "hcloud"; only hcloud hosts get a VM stack`);
    }
    new HcloudProvider(this, "hcloud", { token: this.inputs.string(FIXED_INPUTS.hcloudToken) });
    const sshPublicKey = this.inputs.string(FIXED_INPUTS.sshPublicKey);
    // The first hcloud host in deploy order owns the Hetzner SSH key; the others use it by name.
    const ownsSshKey = hcloudHosts(props.spec)[0]?.name === props.host.name;
    this.vm = new HcloudDockerHost(this, "host", {
      host: props.host,
      server: provisioning,
      sshKey: ownsSshKey ? { create: true, publicKey: sshPublicKey } : { create: false, name: SSH_KEY_NAME },
      sshPublicKey,
      tailscaleAuthKey: this.inputs.string(FIXED_INPUTS.tailscaleAuthKey),
    });

    const server = this.vm.server;
    // Adoption: the running server, its firewall and SSH key are imported (hcloud import ids are
    // the numeric ids). The ignored user_data/ssh_keys/image keep the import from replacing it.
    const adopted = this.adoption?.hetzner?.[props.host.name];
    if (adopted) {
      server.importFrom(String(adopted.server.id));
      // location is ForceNew, and a provider that reads none back from the API (the older response
      // shape, without the top-level location) would replace the server: the adoption file's
      // validation has checked it equals the description's, so ignoring it loses nothing.
      server.addOverride("lifecycle.ignore_changes", ["location"]);
      if (adopted.firewall !== undefined) this.vm.firewall.firewall.importFrom(String(adopted.firewall));
      if (adopted.sshKey !== undefined && this.vm.sshKey) this.vm.sshKey.importFrom(String(adopted.sshKey));
    }
    new TerraformOutput(this, "server_id", { value: server.id, description: "Hetzner server id" });
    new TerraformOutput(this, "ipv4_address", { value: server.ipv4Address, description: "Public IPv4 (nothing listens on it: the firewall is closed)" });
    new TerraformOutput(this, "ipv6_address", { value: server.ipv6Address, description: "Public IPv6 (nothing listens on it: the firewall is closed)" });
    new TerraformOutput(this, "docker_host", {
      value: dockerHostUrl(props.host),
      description: "What the Docker provider dials, over Tailscale",
    });
  }
}
