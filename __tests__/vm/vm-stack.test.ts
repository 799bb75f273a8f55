import { Testing } from "cdktf";
import { SshKey } from "../../.gen/providers/hcloud/ssh-key";
import { buildHomelab, stackNames } from "../../app";
import { DOCKER_BRIDGE_RANGE, DOCKER_PACKAGES, SSHD_DROP_IN, TAILSCALE_AUTH_KEY_FILE } from "../../constructs/cloud-init-docker-host";
import { HCLOUD_DEFAULTS, MANAGED_BY, SSH_KEY_NAME } from "../../constructs/hcloud-docker-host";
import { dockerHostUrl, hcloudHosts } from "../../homelab/derive";
import { FirewallInboundRule, HcloudServerSpec, HomelabSpec, HostSpec } from "../../homelab/types";
import { NEVER_PUBLIC_PORTS } from "../../homelab/validate";
import { fourHostSpec, goodSpec, kscloud2, withHost } from "../fixtures/specs";
import { normalizePaths, repoRoot, resourcesOf, synthHomelab } from "../helpers/synth";
import { cloudConfigOf, firstHcloudHost, only, SAMPLE_VARS, testSpec, vmJson, vmStackOnlyJson } from "./helpers";

const host = firstHcloudHost();
const provisioning = host.provisioning as { kind: "hcloud" } & HcloudServerSpec;

/** The good spec with the first hcloud host's provisioning changed. */
function withProvisioning(patch: Partial<HcloudServerSpec>, spec: HomelabSpec = goodSpec): HomelabSpec {
  return withHost(spec, host.name, { provisioning: { ...provisioning, ...patch } } as Partial<HostSpec>);
}

const rule = (port: string, sourceCidrs: string[], protocol: FirewallInboundRule["protocol"] = "tcp"): FirewallInboundRule => ({
  protocol,
  port,
  sourceCidrs,
  reason: "fixture rule",
});

describe("VM stack", () => {
  const json = vmJson();
  const server = only(json, "hcloud_server");

  it("configures the hcloud provider from the sensitive hcloud_token variable", () => {
    expect(json.provider?.hcloud).toEqual([{ token: "${var.hcloud_token}" }]);
    expect(json.terraform?.required_providers?.hcloud).toEqual({ source: "hetznercloud/hcloud", version: "1.68.0" });
    for (const name of ["hcloud_token", "ssh_public_key", "tailscale_auth_key"]) {
      expect(json.variable?.[name]).toMatchObject({ sensitive: true, type: "string" });
    }
  });

  it("creates the SSH key from the supplied public key", () => {
    const synth = synthHomelab(testSpec);
    expect(synth.synth(synth.stacks.vms.get(host.name)!)).toHaveResourceWithProperties(SshKey, {
      name: SSH_KEY_NAME,
      public_key: "${var.ssh_public_key}",
      labels: { "managed-by": MANAGED_BY },
    });
  });

  it("builds the server from the spec with IPv4, IPv6, labels, backups and the firewall attached", () => {
    expect(server).toMatchObject({
      name: host.name,
      server_type: provisioning.serverType,
      image: provisioning.image,
      location: provisioning.location,
      backups: provisioning.backups ?? false,
      public_net: [{ ipv4_enabled: true, ipv6_enabled: true }],
      labels: { "managed-by": MANAGED_BY, host: host.name, role: "docker-host" },
      ssh_keys: [expect.stringMatching(/^\$\{hcloud_ssh_key\.[^.]+\.id\}$/)],
      firewall_ids: [expect.stringMatching(/^\$\{hcloud_firewall\.[^.]+\.id\}$/)],
    });
    const firewallId = Object.keys(resourcesOf(json, "hcloud_firewall"))[0];
    expect(server.firewall_ids).toEqual([`\${hcloud_firewall.${firewallId}.id}`]);
  });

  it("protects the server from deletion and rebuild, and never replaces it for user_data, ssh_keys or image", () => {
    expect(server).toMatchObject({ delete_protection: true, rebuild_protection: true, shutdown_before_deletion: true });
    expect(server.lifecycle.ignore_changes).toEqual(expect.arrayContaining(["user_data", "ssh_keys", "image"]));
  });

  it("outputs the server id, both public addresses and the Docker provider's Tailscale address", () => {
    expect(json.output).toEqual({
      server_id: expect.objectContaining({ value: expect.stringMatching(/^\$\{hcloud_server\.[^.]+\.id\}$/) }),
      ipv4_address: expect.objectContaining({ value: expect.stringMatching(/\.ipv4_address\}$/) }),
      ipv6_address: expect.objectContaining({ value: expect.stringMatching(/\.ipv6_address\}$/) }),
      docker_host: expect.objectContaining({ value: dockerHostUrl(host) }),
    });
    expect(json.output?.docker_host.value).toBe(`ssh://${host.sshUser}@${host.tailscaleName ?? host.name}`);
  });

  it("keeps secrets out of the synthesized JSON: the auth key only reaches user_data through its variable", () => {
    // Variable validations mention the tskey- prefix; nothing else may.
    const text = JSON.stringify({ ...json, variable: undefined });
    expect(text).not.toMatch(/tskey-/);
    expect(server.user_data.match(/var\.tailscale_auth_key/g)).toHaveLength(1);
    expect(text.match(/var\.tailscale_auth_key/g)).toHaveLength(1);
  });

  it("keeps the server's Terraform address stable (docs/vm.md's rebuild command names it)", () => {
    expect(Object.keys(resourcesOf(json, "hcloud_server"))).toEqual(["host_server_B0593CD1"]);
  });

  it("matches the snapshot", () => {
    const synth = synthHomelab(testSpec);
    expect(normalizePaths(synth.synth(synth.stacks.vms.get(host.name)!))).toMatchSnapshot();
  });
});

describe("cloud-init of the VM", () => {
  const config = cloudConfigOf(vmJson());
  const file = (path: string) => {
    const found = config.write_files.find((f) => f.path === path);
    if (!found) throw new Error(`no write_files entry for ${path}`);
    return found;
  };
  const runIndex = (cmd: readonly string[]) => config.runcmd.findIndex((c) => JSON.stringify(c) === JSON.stringify(cmd));

  it("installs Docker Engine and Tailscale from their signed apt repositories", () => {
    expect(config.packages).toEqual(expect.arrayContaining([...DOCKER_PACKAGES, "tailscale", "ufw", "unattended-upgrades"]));
    expect(config.package_update).toBe(true);
    const sources = config.apt.sources;
    expect(sources["docker.list"].source).toBe("deb [signed-by=$KEY_FILE] https://download.docker.com/linux/debian $RELEASE stable");
    expect(sources["tailscale.list"].source).toBe("deb [signed-by=$KEY_FILE] https://pkgs.tailscale.com/stable/debian $RELEASE main");
    for (const source of Object.values(sources)) expect(source.keyid).toMatch(/^[0-9A-F]{40}$/);
  });

  it("writes daemon.json with the classic image store and json-file log rotation", () => {
    expect(JSON.parse(file("/etc/docker/daemon.json").content)).toEqual({
      features: { "containerd-snapshotter": false },
      "log-driver": "json-file",
      "log-opts": { "max-size": "10m", "max-file": "3" },
    });
  });

  it("creates the deploy user in the docker group with the supplied key, and no password", () => {
    expect(config.groups).toContain("docker");
    expect(config.users).toEqual([
      expect.objectContaining({
        name: host.sshUser,
        groups: ["docker"],
        lock_passwd: true,
        ssh_authorized_keys: [SAMPLE_VARS.ssh_public_key],
      }),
    ]);
  });

  it("closes sshd to passwords and root, and lets only the deploy user in", () => {
    expect(config.disable_root).toBe(true);
    expect(config.ssh_pwauth).toBe(false);
    const settings = Object.fromEntries(
      file(SSHD_DROP_IN)
        .content.trim()
        .split("\n")
        .map((line) => line.split(/\s+/, 2)),
    );
    expect(settings).toMatchObject({
      PermitRootLogin: "no",
      PasswordAuthentication: "no",
      KbdInteractiveAuthentication: "no",
      AllowUsers: host.sshUser,
    });
    expect(runIndex(["systemctl", "reload-or-restart", "ssh"])).toBeGreaterThanOrEqual(0);
  });

  it("enables unattended upgrades", () => {
    expect(file("/etc/apt/apt.conf.d/20auto-upgrades").content).toMatch(/APT::Periodic::Unattended-Upgrade "1";/);
  });

  it("denies inbound traffic except on tailscale0 and from the Docker bridges, then enables ufw", () => {
    const rules = [
      ["ufw", "default", "deny", "incoming"],
      ["ufw", "allow", "in", "on", "tailscale0"],
      ["ufw", "allow", "from", DOCKER_BRIDGE_RANGE],
    ];
    expect(DOCKER_BRIDGE_RANGE).toBe("172.16.0.0/12");
    const enable = runIndex(["ufw", "--force", "enable"]);
    for (const r of rules) {
      expect(runIndex(r)).toBeGreaterThanOrEqual(0);
      expect(runIndex(r)).toBeLessThan(enable);
    }
    expect(config.runcmd.filter((c) => c[0] === "ufw" && c[1] === "allow")).toHaveLength(2);
  });

  it("joins the tailnet with the auth key from a root-only file, the host's name and the spec's tags, then deletes the key", () => {
    const up = config.runcmd.find((c) => c[0] === "tailscale" && c[1] === "up");
    expect(up).toEqual([
      "tailscale",
      "up",
      `--auth-key=file:${TAILSCALE_AUTH_KEY_FILE}`,
      `--hostname=${host.name}`,
      `--advertise-tags=${(provisioning.tailscaleTags ?? HCLOUD_DEFAULTS.tailscaleTags).join(",")}`,
      "--ssh=false",
    ]);
    expect(file(TAILSCALE_AUTH_KEY_FILE)).toMatchObject({ content: SAMPLE_VARS.tailscale_auth_key, permissions: "0600" });
    expect(runIndex(["rm", "-f", TAILSCALE_AUTH_KEY_FILE])).toBeGreaterThan(config.runcmd.indexOf(up!));
  });
});

describe("VM firewall", () => {
  it("opens nothing inbound by default and sets no outbound rules (Hetzner: all outbound allowed)", () => {
    const firewall = only(vmJson(), "hcloud_firewall");
    expect(firewall.rule).toBeUndefined();
    expect(firewall).toMatchObject({ name: host.name, labels: expect.objectContaining({ host: host.name }) });
  });

  it("adds the spec's inbound rules, with the reason as description and no port for icmp", () => {
    const spec = withProvisioning({
      firewallInbound: [
        { protocol: "udp", port: "41641", sourceCidrs: ["0.0.0.0/0", "::/0"], reason: "Tailscale direct connections" },
        { protocol: "icmp", sourceCidrs: ["0.0.0.0/0"], reason: "ping" },
        { protocol: "tcp", port: "22", sourceCidrs: ["192.0.2.10/32"], reason: "rescue SSH from the office" },
      ],
    });
    expect(only(vmStackOnlyJson(spec), "hcloud_firewall").rule).toEqual([
      { direction: "in", protocol: "udp", port: "41641", source_ips: ["0.0.0.0/0", "::/0"], description: "Tailscale direct connections" },
      { direction: "in", protocol: "icmp", source_ips: ["0.0.0.0/0"], description: "ping" },
      { direction: "in", protocol: "tcp", port: "22", source_ips: ["192.0.2.10/32"], description: "rescue SSH from the office" },
    ]);
  });

  const build = (spec: HomelabSpec) => () => buildHomelab(Testing.app(), spec, { repoRoot });
  const field = `hosts\\[${host.name}\\]\\.provisioning\\.firewallInbound\\[0\\]`;

  it.each(NEVER_PUBLIC_PORTS.flatMap((p) => [[p, "0.0.0.0/0"], [p, "::/0"]]))("fails to build with port %p open to %p", (port, cidr) => {
    expect(build(withProvisioning({ firewallInbound: [rule(String(port), [cidr as string])] }))).toThrow(
      new RegExp(`${field}: .* opens port ${port} to the whole internet`),
    );
  });

  it("fails to build with a range that covers SSH open to the world", () => {
    expect(build(withProvisioning({ firewallInbound: [rule("20-30", ["10.0.0.0/8", "0.0.0.0/0"])] }))).toThrow(new RegExp(`${field}: .* opens port 22`));
  });
});

describe("VM stacks are per hcloud host", () => {
  const synth = synthHomelab(fourHostSpec);
  const [first, second] = hcloudHosts(fourHostSpec);

  it("gives a further hcloud host its own VM stack, and none to existing machines", () => {
    expect(second).toBe(kscloud2);
    expect([...synth.stacks.vms.keys()]).toEqual(hcloudHosts(fourHostSpec).map((h) => h.name));
    const json = vmJson(fourHostSpec, second);
    const spec2 = second.provisioning as HcloudServerSpec;
    expect(only(json, "hcloud_server")).toMatchObject({
      name: second.name,
      server_type: spec2.serverType,
      image: spec2.image,
      location: spec2.location,
      labels: expect.objectContaining({ host: second.name }),
      delete_protection: true,
    });
    expect(only(json, "hcloud_firewall").name).toBe(second.name);
  });

  it("reuses the first VM's Hetzner SSH key by name (Hetzner refuses a duplicate) and deploys after it", () => {
    const json = vmJson(fourHostSpec, second);
    expect(resourcesOf(json, "hcloud_ssh_key")).toEqual({});
    expect(only(json, "hcloud_server").ssh_keys).toEqual([SSH_KEY_NAME]);
    const vm1 = synth.stacks.vms.get(first.name)!;
    const vm2 = synth.stacks.vms.get(second.name)!;
    expect(vm2.dependencies).toContain(vm1);
    expect(vm1.dependencies).not.toContain(vm2);
  });

  it("deploys each host's Docker stack after its VM", () => {
    for (const h of hcloudHosts(fourHostSpec)) {
      const docker = synth.stacks.hosts.get(h.name)!;
      expect(docker.node.id).toBe(stackNames.host(h.name));
      expect(docker.dependencies).toContain(synth.stacks.vms.get(h.name));
    }
  });
});

describe("VM defaults", () => {
  it("uses cx23, debian-13, nbg1, no backups and tag:server when the spec says only kind hcloud", () => {
    const spec = withHost(goodSpec, host.name, { provisioning: { kind: "hcloud" } });
    const json = vmStackOnlyJson(spec);
    expect(only(json, "hcloud_server")).toMatchObject({ server_type: "cx23", image: "debian-13", location: "nbg1", backups: false });
    expect(cloudConfigOf(json).runcmd).toContainEqual(expect.arrayContaining(["--advertise-tags=tag:server"]));
  });
});
