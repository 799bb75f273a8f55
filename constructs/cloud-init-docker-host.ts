import { Fn, Token } from "cdktf";
import { Construct } from "constructs";
import { stringifyYaml11 } from "./yaml-1-1";

/** An apt source cloud-init adds; its key is fetched by fingerprint and used as `$KEY_FILE`. */
export interface CloudInitAptSource {
  /** sources.list line; cloud-init replaces `$RELEASE` and `$KEY_FILE`. */
  readonly source: string;
  /** Full fingerprint of the repository's signing key. */
  readonly keyid: string;
  readonly keyserver: string;
}

/** A file cloud-init writes before packages are installed (its init stage). */
export interface CloudInitFile {
  readonly path: string;
  readonly content: string;
  readonly owner: string;
  readonly permissions: string;
}

export interface CloudInitUser {
  readonly name: string;
  readonly groups: readonly string[];
  readonly shell: string;
  readonly lock_passwd: boolean;
  readonly sudo: string;
  readonly ssh_authorized_keys: readonly string[];
}

/** The subset of cloud-config this homelab uses; keys are cloud-init's own. */
export interface CloudConfig {
  readonly bootcmd: readonly (readonly string[])[];
  readonly apt: { readonly sources: Readonly<Record<string, CloudInitAptSource>> };
  readonly package_update: boolean;
  readonly package_upgrade: boolean;
  readonly packages: readonly string[];
  readonly groups: readonly string[];
  readonly users: readonly CloudInitUser[];
  readonly disable_root: boolean;
  readonly ssh_pwauth: boolean;
  readonly write_files: readonly CloudInitFile[];
  readonly runcmd: readonly (readonly string[])[];
}

export interface DockerHostCloudInitProps {
  /** OS image name, e.g. "debian-13": picks Docker's and Tailscale's repository flavour. */
  readonly image: string;
  /** Name the machine takes on the tailnet (what the Docker provider dials). */
  readonly tailscaleHostname: string;
  /** ACL tags the machine advertises, e.g. ["tag:server"]. */
  readonly tailscaleTags: readonly string[];
  /** Tailscale auth key: a Terraform variable token, never a literal. */
  readonly tailscaleAuthKey: string;
  /** The non-root deploy user the Docker provider logs in as. */
  readonly deployUser: string;
  /** OpenSSH public key line of the deploy user (a variable token). */
  readonly sshPublicKey: string;
}

export const CLOUD_CONFIG_HEADER = "#cloud-config";

/**
 * Docker's default bridge pools live in 172.16.0.0/12. Containers (the portal's proxy to the
 * host-networked metrics API) reach host-bound ports only if ufw lets this range in.
 */
export const DOCKER_BRIDGE_RANGE = "172.16.0.0/12";

/**
 * /etc/docker/daemon.json. Engine 29 defaults fresh installs to the containerd image store,
 * which the docker provider 3.6.2 legacy builder cannot use (the plan builds portal/ and
 * metrics/ on the host). Log rotation keeps json-file logs from filling the disk.
 */
export const DOCKER_DAEMON_CONFIG = {
  features: { "containerd-snapshotter": false },
  "log-driver": "json-file",
  "log-opts": { "max-size": "10m", "max-file": "3" },
} as const;

/** Signing keys by full fingerprint (what cloud-init fetches and pins). */
const DOCKER_KEY_FINGERPRINT = "9DC858229FC7DD38854AE2D88D81803C0EBFCD88";
const TAILSCALE_KEY_FINGERPRINT = "2596A99EAAB33821893C0A79458CA832957F5868";
const KEYSERVER = "keyserver.ubuntu.com";

/** Where the auth key waits for `tailscale up`: tmpfs, root-only, deleted after the join. */
export const TAILSCALE_AUTH_KEY_FILE = "/run/kitestacks/tailscale-auth-key";
/** sshd reads drop-ins in name order and keeps the first value: 10- wins over 50-cloud-init. */
export const SSHD_DROP_IN = "/etc/ssh/sshd_config.d/10-kitestacks.conf";

/**
 * The cloud metadata address: on Hetzner it serves the server's user-data (this cloud-config,
 * with the Tailscale auth key before it is used) to anything that asks.
 */
export const METADATA_ADDRESS = "169.254.169.254";

/**
 * Containers cannot reach the metadata address: a REJECT in Docker's DOCKER-USER chain (which
 * Docker evaluates first for container traffic and never flushes), added after every start of
 * the Docker daemon, idempotently. Host-networked containers (the metrics API) and the host
 * itself (cloud-init) are not filtered by it. monk: add the same drop-in by hand
 * (docs/security.md).
 */
export const METADATA_BLOCK_COMMAND =
  `iptables -C DOCKER-USER -d ${METADATA_ADDRESS}/32 -j REJECT 2>/dev/null || iptables -I DOCKER-USER 1 -d ${METADATA_ADDRESS}/32 -j REJECT`;
export const METADATA_BLOCK_DROP_IN = {
  path: "/etc/systemd/system/docker.service.d/10-kitestacks-metadata.conf",
  content: `[Service]\nExecStartPost=/bin/sh -c '${METADATA_BLOCK_COMMAND}'\n`,
} as const;

/**
 * Ports bound to the Tailscale address come back after a reboot. At boot dockerd and tailscaled
 * start side by side and Docker restarts its containers at once; when tailscale0 has no 100.x
 * address yet, publishing `100.x:port` fails ("listen tcp4 100.x:port: bind: cannot assign
 * requested address") and the container stays down until someone starts it. With
 * ip_nonlocal_bind, docker-proxy binds the address before it exists and traffic flows as soon
 * as tailscaled assigns it. systemd-sysctl loads the file early at every boot; runcmd loads it
 * on the first. The e2e test restarts a host's engine with the address added late (both ways).
 * monk: the same file by hand (docs/operations.md).
 */
export const TAILNET_BIND_SYSCTL = {
  path: "/etc/sysctl.d/60-kitestacks-tailnet-bind.conf",
  content: "net.ipv4.ip_nonlocal_bind = 1\nnet.ipv6.ip_nonlocal_bind = 1\n",
} as const;

/** Docker Engine from Docker's own repository (docker.io in Debian lags behind). */
export const DOCKER_PACKAGES = ["docker-ce", "docker-ce-cli", "containerd.io", "docker-buildx-plugin"] as const;

const DISTROS = ["debian", "ubuntu"] as const;
type Distro = (typeof DISTROS)[number];

/** cdktf's placeholder for an unresolved token, e.g. `${TfToken[TOKEN.12]}`. */
const TOKEN_PLACEHOLDER = /\$\{TfToken\[[^\]]+\]\}/g;

/**
 * First-boot configuration of a Docker host, built as data and serialized to cloud-config YAML.
 *
 * It installs Docker Engine and Tailscale from their apt repositories, joins the tailnet,
 * creates the deploy user (docker group, key-only SSH), closes sshd to passwords and root,
 * turns on unattended security upgrades and sets ufw to deny everything inbound except
 * tailscale0 and the Docker bridges. `userData` holds Terraform tokens for the auth key and
 * public key, so Terraform fills them in at plan time and they never appear in cdk.tf.json.
 */
export class DockerHostCloudInit extends Construct {
  /** The document, for tests and docs. */
  public readonly document: CloudConfig;
  /** `#cloud-config` + YAML, with the variable tokens inside. */
  public readonly userData: string;

  constructor(scope: Construct, id: string, props: DockerHostCloudInitProps) {
    super(scope, id);
    const distro = distroOf(props.image);
    this.document = buildDocument(distro, {
      ...props,
      tailscaleAuthKey: asYamlScalar(props.tailscaleAuthKey),
      sshPublicKey: asYamlScalar(props.sshPublicKey),
    });
    // cloud-init reads user-data with PyYAML, which is YAML 1.1: a plain `on` (ufw's
    // `allow in on tailscale0`) would reach runcmd as True. Lines are never folded, so a token
    // is never split across two.
    const yaml = stringifyYaml11(this.document);
    this.userData = `${CLOUD_CONFIG_HEADER}\n${yaml}`;
    assertNoTemplateSyntax(this.userData);
  }
}

/**
 * Terraform pastes variable values into the YAML as they are: a key comment with " #" or ": "
 * would break the document. jsonencode() makes the value a JSON string, which is also a valid
 * YAML double-quoted scalar.
 */
function asYamlScalar(value: string): string {
  return Token.asString(Fn.jsonencode(value));
}

function distroOf(image: string): Distro {
  const distro = DISTROS.find((d) => image.startsWith(`${d}-`));
  if (!distro) {
    throw new Error(
      `provisioning.image: ${JSON.stringify(image)} is not a Debian or Ubuntu image; the cloud-init apt sources need one. Fix: use e.g. "debian-13".`,
    );
  }
  return distro;
}

/**
 * user_data is a Terraform template string: a literal `${` or `%{` outside our tokens would be
 * interpolated by Terraform and corrupt the document.
 */
function assertNoTemplateSyntax(userData: string): void {
  if (/[$%]\{/.test(userData.replace(TOKEN_PLACEHOLDER, ""))) {
    throw new Error("cloud-init document contains ${ or %{ outside a Terraform token; Terraform would interpolate it");
  }
}

function sshdSettings(deployUser: string): Record<string, string> {
  return {
    PermitRootLogin: "no",
    PasswordAuthentication: "no",
    KbdInteractiveAuthentication: "no",
    AuthenticationMethods: "publickey",
    AllowUsers: deployUser,
    // The Docker provider opens a session per API call; the defaults (10) make plans flaky.
    MaxSessions: "32",
    MaxStartups: "32:30:100",
  };
}

function buildDocument(distro: Distro, props: DockerHostCloudInitProps): CloudConfig {
  const sshd = Object.entries(sshdSettings(props.deployUser))
    .map(([key, value]) => `${key} ${value}`)
    .join("\n");
  return {
    // cloud-init fetches apt keys with gpg; install it first on images that lack it.
    bootcmd: [["sh", "-c", "command -v gpg >/dev/null 2>&1 || (apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -qy gnupg)"]],
    apt: {
      sources: {
        "docker.list": {
          source: `deb [signed-by=$KEY_FILE] https://download.docker.com/linux/${distro} $RELEASE stable`,
          keyid: DOCKER_KEY_FINGERPRINT,
          keyserver: KEYSERVER,
        },
        "tailscale.list": {
          source: `deb [signed-by=$KEY_FILE] https://pkgs.tailscale.com/stable/${distro} $RELEASE main`,
          keyid: TAILSCALE_KEY_FINGERPRINT,
          keyserver: KEYSERVER,
        },
      },
    },
    package_update: true,
    package_upgrade: true,
    packages: [...DOCKER_PACKAGES, "tailscale", "ufw", "unattended-upgrades"],
    // Created before the users module runs, so the deploy user can join it on first boot.
    groups: ["docker"],
    users: [
      {
        name: props.deployUser,
        groups: ["docker"],
        shell: "/bin/bash",
        lock_passwd: true,
        // The docker group is root-equivalent anyway; sudo makes maintenance possible with root login off.
        sudo: "ALL=(ALL) NOPASSWD:ALL",
        ssh_authorized_keys: [props.sshPublicKey],
      },
    ],
    disable_root: true,
    ssh_pwauth: false,
    write_files: [
      { path: "/etc/docker/daemon.json", content: `${JSON.stringify(DOCKER_DAEMON_CONFIG, null, 2)}\n`, owner: "root:root", permissions: "0644" },
      { path: SSHD_DROP_IN, content: `${sshd}\n`, owner: "root:root", permissions: "0644" },
      { path: METADATA_BLOCK_DROP_IN.path, content: METADATA_BLOCK_DROP_IN.content, owner: "root:root", permissions: "0644" },
      { path: TAILNET_BIND_SYSCTL.path, content: TAILNET_BIND_SYSCTL.content, owner: "root:root", permissions: "0644" },
      {
        path: "/etc/apt/apt.conf.d/20auto-upgrades",
        content: 'APT::Periodic::Update-Package-Lists "1";\nAPT::Periodic::Unattended-Upgrade "1";\n',
        owner: "root:root",
        permissions: "0644",
      },
      { path: TAILSCALE_AUTH_KEY_FILE, content: props.tailscaleAuthKey, owner: "root:root", permissions: "0600" },
    ],
    runcmd: [
      ["systemctl", "reload-or-restart", "ssh"],
      ["ufw", "default", "deny", "incoming"],
      ["ufw", "default", "allow", "outgoing"],
      ["ufw", "allow", "in", "on", "tailscale0"],
      ["ufw", "allow", "from", DOCKER_BRIDGE_RANGE],
      ["ufw", "--force", "enable"],
      ["sysctl", "-p", TAILNET_BIND_SYSCTL.path],
      ["systemctl", "enable", "--now", "docker", "tailscaled"],
      [
        "tailscale",
        "up",
        `--auth-key=file:${TAILSCALE_AUTH_KEY_FILE}`,
        `--hostname=${props.tailscaleHostname}`,
        `--advertise-tags=${props.tailscaleTags.join(",")}`,
        // Plain sshd (key-only, tailscale0-only via ufw) is what the Docker provider uses.
        "--ssh=false",
      ],
      ["rm", "-f", TAILSCALE_AUTH_KEY_FILE],
    ],
  };
}
