import { Token } from "cdktf";
import { Construct } from "constructs";
import { Server } from "../.gen/providers/hcloud/server";
import { SshKey } from "../.gen/providers/hcloud/ssh-key";
import { tailscaleName } from "../homelab/derive";
import { HcloudServerSpec, HostSpec } from "../homelab/types";
import { DockerHostCloudInit } from "./cloud-init-docker-host";
import { HcloudFirewall } from "./hcloud-firewall";

/** Defaults of {@link HcloudServerSpec}, kept in step with its @default docs. */
export const HCLOUD_DEFAULTS = {
  serverType: "cx23",
  image: "debian-13",
  location: "nbg1",
  backups: false,
  tailscaleTags: ["tag:server"],
} as const;

/** Value of the managed-by label on everything this app creates at Hetzner. */
export const MANAGED_BY = "kitestacks-iac";

/**
 * Attributes whose change would destroy and recreate the server (all ForceNew in the
 * provider). Ignored, so editing cloud-init or rotating the key never silently wipes the host.
 */
export const SERVER_IGNORED_CHANGES = ["user_data", "ssh_keys", "image"] as const;

/**
 * Name of the Hetzner SSH key holding the deploy key. One per project: Hetzner refuses a second
 * key with the same fingerprint, so further hcloud hosts refer to it by this name.
 */
export const SSH_KEY_NAME = `${MANAGED_BY}-deploy`;

/** Where the server's SSH key comes from. */
export type HcloudSshKeySource =
  /** Create the Hetzner SSH key in this construct (the first hcloud host does). */
  | { readonly create: true; readonly publicKey: string }
  /** Refer to the key another host's stack created, by its name (Hetzner accepts names). */
  | { readonly create: false; readonly name: string };

export interface HcloudDockerHostProps {
  /** The host; its provisioning kind is "hcloud". */
  readonly host: HostSpec;
  readonly server: HcloudServerSpec;
  readonly sshKey: HcloudSshKeySource;
  /** Deploy user's public key, installed by cloud-init (a variable token). */
  readonly sshPublicKey: string;
  /** Tailscale auth key (a variable token). */
  readonly tailscaleAuthKey: string;
  /**
   * What the host is for, as a label.
   * @default "docker-host"
   */
  readonly role?: string;
}

/**
 * A Hetzner Cloud VM ready for Docker workloads: SSH key, default-closed firewall, and a server
 * with IPv4 and IPv6 that configures itself on first boot (cloud-init) and joins the tailnet.
 *
 * Delete and rebuild protection are on, and changes to user_data, ssh_keys and image are
 * ignored: replacing the server is a deliberate act (docs/vm.md), never a side effect.
 */
export class HcloudDockerHost extends Construct {
  public readonly server: Server;
  public readonly firewall: HcloudFirewall;
  public readonly cloudInit: DockerHostCloudInit;
  /** The SSH key resource, when this construct created it. */
  public readonly sshKey?: SshKey;

  constructor(scope: Construct, id: string, props: HcloudDockerHostProps) {
    super(scope, id);
    const { host, server } = props;
    const labels = { "managed-by": MANAGED_BY, host: host.name, role: props.role ?? "docker-host" };
    const image = server.image ?? HCLOUD_DEFAULTS.image;

    let sshKeyRef: string;
    if (props.sshKey.create) {
      this.sshKey = new SshKey(this, "ssh-key", {
        name: SSH_KEY_NAME,
        publicKey: props.sshKey.publicKey,
        labels: { "managed-by": MANAGED_BY },
      });
      sshKeyRef = this.sshKey.id;
    } else {
      sshKeyRef = props.sshKey.name;
    }

    this.firewall = new HcloudFirewall(this, "firewall", {
      name: host.name,
      inbound: server.firewallInbound,
      labels,
    });

    this.cloudInit = new DockerHostCloudInit(this, "cloud-init", {
      image,
      // The Docker provider dials tailscaleName(host); its first label is the machine name.
      tailscaleHostname: tailscaleName(host).split(".")[0],
      tailscaleTags: server.tailscaleTags ?? HCLOUD_DEFAULTS.tailscaleTags,
      tailscaleAuthKey: props.tailscaleAuthKey,
      deployUser: host.sshUser,
      sshPublicKey: props.sshPublicKey,
    });

    this.server = new Server(this, "server", {
      name: host.name,
      // A new type resizes in place (power off, change_type; terraform-provider-hcloud
      // internal/server/resource.go), never a replacement; keep_disk keeps it reversible.
      serverType: server.serverType ?? HCLOUD_DEFAULTS.serverType,
      keepDisk: server.keepDisk ?? true,
      image,
      location: server.location ?? HCLOUD_DEFAULTS.location,
      backups: server.backups ?? HCLOUD_DEFAULTS.backups,
      sshKeys: [sshKeyRef],
      userData: this.cloudInit.userData,
      labels,
      publicNet: [{ ipv4Enabled: true, ipv6Enabled: true }],
      // Attached at creation, so sshd is never reachable from the internet, not even during first boot.
      firewallIds: [Token.asNumber(this.firewall.firewall.id)],
      deleteProtection: true,
      rebuildProtection: true,
      // A clean shutdown first, so the shared Postgres is not cut off mid-write.
      shutdownBeforeDeletion: true,
      lifecycle: { ignoreChanges: [...SERVER_IGNORED_CHANGES] },
    });
  }
}
