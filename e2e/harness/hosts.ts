/**
 * Simulated hosts for the end-to-end test: one network namespace per machine, joined by two
 * switches that live in a namespace of their own:
 *
 *   tailnet  100.64.0.0/10  every homelab host and the deployer (what Tailscale gives them)
 *   internet 10.99.0.0/24   every homelab host and the outsider (a stranger on the internet,
 *                           also the fake edge: DNS and HTTPS for the public hostnames)
 *
 * A homelab host runs its own dockerd and sshd with a `deploy` user (key only) inside a mount
 * namespace where /run, /etc/passwd, /etc/group and /etc/shadow are its own, so the standard
 * /var/run/docker.sock is that host's engine and `ssh deploy@<host> docker system dial-stdio`
 * (what the Docker provider runs) reaches it. The deployer runs terraform and ssh with a
 * test-only key and known_hosts mounted over /root/.ssh. Names resolve in the deployer through
 * /etc/netns/<ns>/hosts, which `ip netns exec` bind-mounts over /etc/hosts.
 *
 * Nothing is created in the root namespace: veths are made inside the switch namespace with
 * their peer placed straight into the node. Everything is named `kse2e-<run id>-...`;
 * `destroy()` kills what the run started (by namespace and by cgroup) and deletes it, and
 * `sweepStale()` removes what a crashed run left behind (runs whose owner process is gone).
 */
import { ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmodSync, closeSync, cpSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { BACKUP_STATUS_HOST_DIR } from "../../backup/plan";
import { run, RunOptions, RunResult, sh, waitFor } from "./run";

export const PREFIX = "kse2e";
const NETNS_DIR = "/run/netns";
const CGROUP_ROOT = "/sys/fs/cgroup";

export const TAILNET_PREFIX_LEN = 10;
export const INTERNET_PREFIX = "10.99.0";
/** The outsider's address on the internet switch (also the fake edge's DNS and HTTPS). */
export const OUTSIDER_IP = `${INTERNET_PREFIX}.100`;
export const DEPLOYER_TAILSCALE_IP = "100.100.0.10";

export interface LabNodeProps {
  readonly lab: Lab;
  readonly name: string;
  readonly tailscaleIp?: string;
  readonly publicIp?: string;
}

/** One machine: network, mount and UTS namespaces, held by a sleeping holder process. */
export class LabNode {
  readonly name: string;
  readonly ns: string;
  readonly dir: string;
  readonly tailscaleIp?: string;
  readonly publicIp?: string;
  protected readonly lab: Lab;
  private holder?: ChildProcess;
  protected readonly daemons = new Map<string, ChildProcess>();

  constructor(props: LabNodeProps) {
    this.lab = props.lab;
    this.name = props.name;
    this.ns = `${props.lab.prefix}-${props.name}`;
    this.dir = join(props.lab.dir, props.name);
    this.tailscaleIp = props.tailscaleIp;
    this.publicIp = props.publicIp;
    mkdirSync(join(this.dir, "log"), { recursive: true });
  }

  get holderPid(): number {
    if (!this.holder?.pid) throw new Error(`${this.name}: not started`);
    return this.holder.pid;
  }

  /** Bind mounts (source → target) made in this node's mount namespace. */
  protected mounts(): [string, string][] {
    return [];
  }

  /** Shell run in the node's mount namespace after the binds (extra mounts). @default none */
  protected extraMounts(): string[] {
    return [];
  }

  /** Creates the namespace and its links, then the holder process with the node's mounts. */
  async start(): Promise<void> {
    await run(["ip", "netns", "add", this.ns]);
    await this.ip("link", "set", "lo", "up");
    if (this.tailscaleIp) await this.lab.plug(this, "tail", "ts0", `${this.tailscaleIp}/${TAILNET_PREFIX_LEN}`);
    if (this.publicIp) await this.lab.plug(this, "inet", "pub0", `${this.publicIp}/24`);
    // What `ip netns exec` does, plus this node's own binds, in a private mount namespace:
    // a sysfs of this network namespace (with the machine's cgroup hierarchies kept, dockerd
    // needs them) and /etc/netns/<ns>/* over /etc. The holder then sleeps until destroy().
    const keep = join(this.dir, ".cgroup");
    mkdirSync(keep, { recursive: true });
    const etcBinds = existsSync(`/etc/netns/${this.ns}`)
      ? readdirSync(`/etc/netns/${this.ns}`).map((f) => [`/etc/netns/${this.ns}/${f}`, `/etc/${f}`] as [string, string])
      : [];
    const mountScript = [
      `mount --rbind /sys/fs/cgroup '${keep}'`,
      "mount -t sysfs -o nosuid,nodev,noexec sysfs /sys",
      `mount --rbind '${keep}' /sys/fs/cgroup`,
      ...[...etcBinds, ...this.mounts()].map(([src, dst]) => `mount --bind '${src}' '${dst}'`),
      ...this.extraMounts(),
    ].join(" && ");
    const script = `${mountScript} && hostname '${this.name}' && echo ready && exec sleep 2147483647`;
    const log = openSync(join(this.dir, "log", "holder.log"), "a");
    this.holder = spawn("unshare", ["--mount", "--uts", "--propagation", "private", "nsenter", `--net=${NETNS_DIR}/${this.ns}`, "sh", "-c", script], {
      stdio: ["ignore", "pipe", log],
    });
    closeSync(log);
    await new Promise<void>((resolvePromise, reject) => {
      let seen = "";
      this.holder!.stdout!.on("data", (d: Buffer) => {
        seen += d.toString();
        if (seen.includes("ready")) resolvePromise();
      });
      this.holder!.on("exit", (code) => reject(new Error(`${this.name}: holder exited ${code} (see ${this.dir}/log/holder.log)`)));
    });
  }

  /** `ip -n <ns> ...` */
  ip(...args: string[]): Promise<RunResult> {
    return run(["ip", "-n", this.ns, ...args]);
  }

  /** Runs a program inside this node (its network and mount namespaces). */
  exec(argv: readonly string[], options: RunOptions = {}): Promise<RunResult> {
    return run(["nsenter", "-t", String(this.holderPid), "-m", "-n", "-u", "--", ...argv], options);
  }

  /** `sh -c` inside this node. */
  sh(script: string, options: RunOptions = {}): Promise<RunResult> {
    return this.exec(["/bin/sh", "-c", script], options);
  }

  /** Starts a long-running program inside this node; its output goes to log/<name>.log. */
  spawnDaemon(name: string, argv: readonly string[], env: NodeJS.ProcessEnv = process.env): ChildProcess {
    const log = openSync(join(this.dir, "log", `${name}.log`), "a");
    const child = spawn("nsenter", ["-t", String(this.holderPid), "-m", "-n", "-u", "--", ...argv], {
      stdio: ["ignore", log, log],
      env,
    });
    closeSync(log);
    this.daemons.set(name, child);
    child.on("exit", () => {
      if (this.daemons.get(name) === child) this.daemons.delete(name);
    });
    return child;
  }

  /** Stops a daemon started with spawnDaemon (SIGTERM, then SIGKILL after `graceMs`). */
  async stopDaemon(name: string, graceMs = 20_000): Promise<void> {
    const child = this.daemons.get(name);
    if (!child || child.exitCode !== null) return;
    const exited = new Promise<void>((r) => child.once("exit", () => r()));
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
    await exited;
    clearTimeout(timer);
  }

  logPath(name: string): string {
    return join(this.dir, "log", `${name}.log`);
  }

  async stop(): Promise<void> {
    for (const name of [...this.daemons.keys()].reverse()) await this.stopDaemon(name, 5_000).catch(() => undefined);
    this.holder?.kill("SIGKILL");
  }
}

/** The key pair and known_hosts the deployer uses: made for this run, never reused. */
interface SshMaterial {
  readonly clientKey: string;
  readonly clientPub: string;
}

export interface SimHostProps extends LabNodeProps {
  readonly tailscaleIp: string;
  readonly publicIp: string;
  readonly sshUser: string;
}

/** A homelab host: its own Docker engine and sshd, with the deploy user. */
export class SimHost extends LabNode {
  readonly sshUser: string;
  readonly tailscaleIp: string;
  readonly publicIp: string;
  /** uid of the deploy user in this host's /etc/passwd. */
  static readonly DEPLOY_UID = 2742;

  constructor(props: SimHostProps) {
    super(props);
    this.sshUser = props.sshUser;
    this.tailscaleIp = props.tailscaleIp;
    this.publicIp = props.publicIp;
  }

  /** Path of this host's docker.sock as seen from outside (inside it is /var/run/docker.sock). */
  get dockerSocketOutside(): string {
    return join(this.dir, "run", "docker.sock");
  }

  get cgroupParent(): string {
    return `${this.ns}-docker`;
  }

  /**
   * The engine's data root is an ext4 file system in a sparse file, loop-mounted inside this
   * host's own mount namespace: teardown deletes one file instead of gigabytes of image layers
   * file by file (minutes). Not a tmpfs: InnoDB's O_DIRECT files fail there. It is mounted at
   * Docker's default data root, /var/lib/docker, as on a real host: the homelab bind-mounts
   * paths under it (Portainer's agent reads /var/lib/docker/volumes). The empty directory is
   * made in the machine's /var/lib once, as a mount point; only this namespace sees the mount.
   */
  protected extraMounts(): string[] {
    // The host's KiteStacks state (the backup job's status and scratch directories, which the
    // metrics API reads) is its own too, as on separate machines: shared, both hosts' jobs
    // (and another run's) would write the same status files and take the same lock.
    const state = join(this.dir, "var-lib-kitestacks");
    return [
      `mkdir -p ${SimHost.DATA_ROOT}`,
      `mount -o loop '${this.dataRootImage}' ${SimHost.DATA_ROOT}`,
      `mkdir -p ${SimHost.STATE_DIR} '${state}'`,
      `mount --bind '${state}' ${SimHost.STATE_DIR}`,
    ];
  }

  /** Where the homelab keeps host state outside Docker (BACKUP_STATUS_HOST_DIR and the job's scratch are under it). */
  static readonly STATE_DIR = dirname(dirname(BACKUP_STATUS_HOST_DIR));

  /** The file holding this host's data root file system (outside path). */
  get dataRootImage(): string {
    return join(this.dir, "docker.ext4");
  }

  /** Docker's default data root, where this host's engine keeps its state (inside the host). */
  static readonly DATA_ROOT = "/var/lib/docker";

  protected mounts(): [string, string][] {
    return [
      [join(this.dir, "run"), "/run"],
      [join(this.dir, "etc", "passwd"), "/etc/passwd"],
      [join(this.dir, "etc", "group"), "/etc/group"],
      [join(this.dir, "etc", "shadow"), "/etc/shadow"],
    ];
  }

  /** Writes this host's accounts, sshd config and host key; called before start(). */
  async prepare(ssh: SshMaterial, seed?: string): Promise<string> {
    const etc = join(this.dir, "etc");
    const runDir = join(this.dir, "run");
    const sshDir = join(this.dir, "ssh");
    for (const d of [etc, runDir, join(runDir, "sshd"), sshDir, join(this.dir, "exec")]) mkdirSync(d, { recursive: true });
    chmodSync(runDir, 0o755);
    const home = `/run/home/${this.sshUser}`;
    mkdirSync(join(runDir, "home", this.sshUser), { recursive: true });
    const uid = SimHost.DEPLOY_UID;
    const passwd = readFileSync("/etc/passwd", "utf8").trimEnd() + `\n${this.sshUser}:x:${uid}:${uid}:KiteStacks deploy (e2e):${home}:/bin/sh\n`;
    let group = readFileSync("/etc/group", "utf8").trimEnd() + `\n${this.sshUser}:x:${uid}:\n`;
    // The deploy user is in the docker group, as cloud-init makes it on kscloud1.
    group = /^docker:/m.test(group)
      ? group.replace(/^(docker:x:\d+:)(.*)$/m, (_m, head: string, members: string) => `${head}${members ? `${members},` : ""}${this.sshUser}`)
      : group + `docker:x:${uid + 1}:${this.sshUser}\n`;
    // "*": no password, not locked (sshd without PAM refuses locked accounts even for keys).
    const shadow = readFileSync("/etc/shadow", "utf8").trimEnd() + `\n${this.sshUser}:*:19000:0:99999:7:::\n`;
    writeFileSync(join(etc, "passwd"), passwd);
    writeFileSync(join(etc, "group"), group);
    writeFileSync(join(etc, "shadow"), shadow, { mode: 0o640 });
    await run(["chown", "-R", `${uid}:${uid}`, join(runDir, "home", this.sshUser)]);

    if (seed) {
      // An engine seed (e2e/harness/seed.ts): the images every run needs, already in place.
      await run(["cp", "--sparse=always", seed, this.dataRootImage]);
    } else {
      await run(["truncate", "-s", process.env.KSE2E_DOCKER_DISK ?? "40G", this.dataRootImage]);
      await run(["mkfs.ext4", "-q", "-F", "-E", "lazy_itable_init=1,lazy_journal_init=1", this.dataRootImage]);
    }
    const hostKey = join(sshDir, "ssh_host_ed25519_key");
    await run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", `${this.name} (kse2e)`, "-f", hostKey]);
    writeFileSync(join(sshDir, "authorized_keys"), ssh.clientPub);
    writeFileSync(
      join(sshDir, "sshd_config"),
      [
        `ListenAddress ${this.tailscaleIp}`,
        "Port 22",
        `HostKey ${hostKey}`,
        "PidFile /run/sshd.pid",
        `AuthorizedKeysFile ${join(sshDir, "authorized_keys")}`,
        "PubkeyAuthentication yes",
        "PasswordAuthentication no",
        "KbdInteractiveAuthentication no",
        "PermitRootLogin no",
        `AllowUsers ${this.sshUser}`,
        // Test files live under /tmp (world-writable): sshd's path checks would refuse them.
        "StrictModes no",
        "UsePAM no",
        // One SSH session per Docker API call when ControlMaster is off (bench, parallel plans).
        "MaxStartups 200",
        "MaxSessions 200",
        "LogLevel INFO",
        "",
      ].join("\n"),
    );
    // known_hosts line for the deployer: the name the provider dials (ssh://deploy@<name>).
    return `${this.name} ${readFileSync(`${hostKey}.pub`, "utf8").split(" ").slice(0, 2).join(" ")}\n`;
  }

  async startSshd(): Promise<void> {
    this.spawnDaemon("sshd", ["/usr/sbin/sshd", "-D", "-e", "-f", join(this.dir, "ssh", "sshd_config")]);
    await waitFor(`${this.name} sshd`, async () => readFileSync(this.logPath("sshd"), "utf8").includes("Server listening"), 15_000, 200);
  }

  /** Starts this host's Docker engine on /var/run/docker.sock (inside) and waits until it answers. */
  async startDocker(): Promise<void> {
    const argv = [
      "dockerd",
      `--data-root=${SimHost.DATA_ROOT}`,
      `--exec-root=${join(this.dir, "exec")}`,
      "--pidfile=/run/docker.pid",
      "-H", "unix:///var/run/docker.sock",
      "--group=docker",
      // Engine-managed iptables inside this host's own network namespace only: published
      // ports (DNAT) and outbound masquerade, as on a real host. The root namespace is untouched.
      "--iptables=true",
      "--ip-masq=true",
      `--storage-driver=${process.env.KSE2E_STORAGE_DRIVER ?? "overlay2"}`,
      `--cgroup-parent=${this.cgroupParent}`,
      "--userland-proxy=true",
    ];
    this.spawnDaemon("dockerd", argv);
    await waitFor(`${this.name} dockerd`, async () => (await this.exec(["docker", "version", "--format", "{{.Server.Version}}"], { allowFailure: true })).code === 0 || undefined, 60_000, 300);
  }

  async stopDocker(): Promise<void> {
    await this.stopDaemon("dockerd", 40_000);
  }

  /** `docker ...` against this host's engine, run inside the host. */
  docker(args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
    return this.exec(["docker", ...args], options);
  }

  /** Kills every process left in this host's container cgroups (after dockerd is gone). */
  killContainers(): void {
    killCgroupTree(this.cgroupParent);
  }
}

/** The deployer: terraform, ssh and the docker CLI run here, on the tailnet. */
export class Deployer extends LabNode {
  readonly sshDir: string;
  constructor(props: LabNodeProps) {
    super(props);
    this.sshDir = join(this.dir, "dot-ssh");
  }
  protected mounts(): [string, string][] {
    mkdirSync("/root/.ssh", { recursive: true, mode: 0o700 });
    return [[this.sshDir, "/root/.ssh"]];
  }
}

export interface LabOptions {
  readonly hosts: readonly { readonly name: string; readonly sshUser: string }[];
  /** Where each node's logs are copied on destroy(). @default not kept */
  readonly artifactsDir?: string;
  /** An engine seed every host's data root starts from (e2e/harness/seed.ts). @default empty engines */
  readonly engineSeed?: string;
}

/** The whole simulated homelab network. */
export class Lab {
  readonly id: string;
  readonly prefix: string;
  readonly dir: string;
  readonly switchNs: string;
  readonly hosts = new Map<string, SimHost>();
  readonly deployer: Deployer;
  readonly outsider: LabNode;
  private nodes: LabNode[] = [];
  private plugs = 0;
  private readonly artifactsDir?: string;
  private readonly engineSeed?: string;

  private constructor(options: LabOptions) {
    this.id = randomBytes(3).toString("hex");
    this.prefix = `${PREFIX}-${this.id}`;
    this.dir = `/tmp/${this.prefix}`;
    this.switchNs = `${this.prefix}-sw`;
    this.artifactsDir = options.artifactsDir;
    this.engineSeed = options.engineSeed;
    mkdirSync(this.dir, { recursive: true });
    writeFileSync(join(this.dir, "owner.pid"), String(process.pid));
    options.hosts.forEach((h, i) => {
      this.hosts.set(
        h.name,
        new SimHost({ lab: this, name: h.name, sshUser: h.sshUser, tailscaleIp: `100.100.0.${i + 1}`, publicIp: `${INTERNET_PREFIX}.${i + 1}` }),
      );
    });
    this.deployer = new Deployer({ lab: this, name: "deployer", tailscaleIp: DEPLOYER_TAILSCALE_IP });
    this.outsider = new LabNode({ lab: this, name: "outsider", publicIp: OUTSIDER_IP });
  }

  /** Builds the network, the hosts' engines and sshds, and the deployer's SSH setup. */
  static async create(options: LabOptions): Promise<Lab> {
    const lab = new Lab(options);
    try {
      await lab.build();
    } catch (error) {
      await lab.destroy();
      throw error;
    }
    return lab;
  }

  private async build(): Promise<void> {
    await run(["ip", "netns", "add", this.switchNs]);
    for (const br of ["tail", "inet"]) {
      await run(["ip", "-n", this.switchNs, "link", "add", br, "type", "bridge"]);
      await run(["ip", "-n", this.switchNs, "link", "set", br, "up"]);
    }
    await run(["ip", "-n", this.switchNs, "link", "set", "lo", "up"]);

    // SSH material for this run only.
    mkdirSync(this.deployer.sshDir, { recursive: true, mode: 0o700 });
    const clientKey = join(this.deployer.sshDir, "id_ed25519");
    await run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", `deployer (kse2e ${this.id})`, "-f", clientKey]);
    const ssh: SshMaterial = { clientKey, clientPub: readFileSync(`${clientKey}.pub`, "utf8") };
    let knownHosts = "";
    for (const line of await Promise.all([...this.hosts.values()].map((host) => host.prepare(ssh, this.engineSeed)))) knownHosts += line;
    writeFileSync(join(this.deployer.sshDir, "known_hosts"), knownHosts);
    writeFileSync(
      join(this.deployer.sshDir, "config"),
      ["Host *", "  IdentityFile ~/.ssh/id_ed25519", "  IdentitiesOnly yes", "  UserKnownHostsFile ~/.ssh/known_hosts", "  StrictHostKeyChecking yes", "  BatchMode yes", ""].join("\n"),
    );
    // Names the deployer dials, the way MagicDNS answers them on the tailnet.
    const hostsFile = ["127.0.0.1 localhost", ...[...this.hosts.values()].map((h) => `${h.tailscaleIp} ${h.name}`), ""].join("\n");
    mkdirSync(`/etc/netns/${this.deployer.ns}`, { recursive: true });
    writeFileSync(`/etc/netns/${this.deployer.ns}/hosts`, hostsFile);
    // The hosts resolve public names through the fake edge's DNS on the internet switch.
    for (const host of this.hosts.values()) {
      mkdirSync(`/etc/netns/${host.ns}`, { recursive: true });
      writeFileSync(`/etc/netns/${host.ns}/resolv.conf`, `nameserver ${OUTSIDER_IP}\n`);
      writeFileSync(`/etc/netns/${host.ns}/hosts`, `127.0.0.1 localhost\n127.0.1.1 ${host.name}\n`);
    }

    this.nodes = [...this.hosts.values(), this.deployer, this.outsider];
    for (const node of this.nodes) await node.start();
    await Promise.all(
      [...this.hosts.values()].map(async (host) => {
        await host.startSshd();
        await host.startDocker();
      }),
    );
  }

  /** Connects a node to a switch: a veth made in the switch namespace, its peer moved into the node. */
  async plug(node: LabNode, bridge: "tail" | "inet", ifname: string, cidr: string): Promise<void> {
    const port = `p${this.plugs++}`;
    await run(["ip", "-n", this.switchNs, "link", "add", port, "type", "veth", "peer", "name", ifname, "netns", node.ns]);
    await run(["ip", "-n", this.switchNs, "link", "set", port, "master", bridge, "up"]);
    await node.ip("addr", "add", cidr, "dev", ifname);
    await node.ip("link", "set", ifname, "up");
  }

  /** Cuts or restores a node's link to a switch (the peer end stays in the switch namespace). */
  async setLink(node: LabNode, ifname: "ts0" | "pub0", up: boolean): Promise<void> {
    await node.ip("link", "set", ifname, up ? "up" : "down");
  }

  /** Stops every daemon and container, deletes the namespaces and files. Safe to call twice. */
  async destroy(): Promise<void> {
    for (const host of this.hosts.values()) {
      await host.stopDaemon("dockerd", 15_000).catch(() => undefined);
      host.killContainers();
    }
    for (const node of this.nodes) await node.stop().catch(() => undefined);
    // Keep the daemons' logs for a post-mortem (CI uploads nothing, but a developer reads them).
    if (this.artifactsDir) {
      for (const node of this.nodes) {
        const logs = join(node.dir, "log");
        if (existsSync(logs)) cpSync(logs, join(this.artifactsDir, this.id, node.name), { recursive: true });
      }
    }
    await destroyRun(this.prefix);
  }
}

/** Kills every process in a cgroup subtree (every v1 controller, or v2), then removes it. */
function killCgroupTree(name: string): void {
  const roots = existsSync(join(CGROUP_ROOT, "cgroup.controllers"))
    ? [CGROUP_ROOT]
    : readdirSync(CGROUP_ROOT).map((c) => join(CGROUP_ROOT, c));
  for (const root of roots) {
    const top = join(root, name);
    if (!existsSync(top)) continue;
    const dirs: string[] = [];
    const walk = (d: string) => {
      dirs.push(d);
      for (const e of readdirSync(d, { withFileTypes: true })) if (e.isDirectory()) walk(join(d, e.name));
    };
    try {
      walk(top);
    } catch {
      continue;
    }
    for (const d of dirs) {
      try {
        for (const pid of readFileSync(join(d, "cgroup.procs"), "utf8").split("\n").filter(Boolean)) {
          try {
            process.kill(Number(pid), "SIGKILL");
          } catch {
            /* already gone */
          }
        }
      } catch {
        /* not a cgroup dir */
      }
    }
    // cgroupfs directories go away with rmdir once empty; the kill is asynchronous.
    for (const d of dirs.reverse()) {
      for (let i = 0; i < 40; i++) {
        try {
          rmdirSync(d);
          break;
        } catch {
          Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50);
        }
      }
    }
  }
}

/** Removes everything of one run, by its prefix: processes in its namespaces, cgroups, namespaces, files. */
async function destroyRun(prefix: string): Promise<void> {
  const namespaces = existsSync(NETNS_DIR) ? readdirSync(NETNS_DIR).filter((n) => n.startsWith(`${prefix}-`)) : [];
  for (const ns of namespaces) {
    const pids = await run(["ip", "netns", "pids", ns], { allowFailure: true });
    for (const pid of pids.stdout.split("\n").filter(Boolean)) {
      try {
        process.kill(Number(pid), "SIGKILL");
      } catch {
        /* gone */
      }
    }
  }
  const cgroupNames = new Set<string>();
  for (const ctrl of existsSync(CGROUP_ROOT) ? readdirSync(CGROUP_ROOT) : []) {
    const dir = join(CGROUP_ROOT, ctrl);
    try {
      for (const e of readdirSync(dir)) if (e.startsWith(`${prefix}-`)) cgroupNames.add(e);
    } catch {
      /* a file */
    }
  }
  for (const name of cgroupNames) killCgroupTree(name);
  // Give the kernel a moment to reap, then drop the namespaces.
  await new Promise((r) => setTimeout(r, 300));
  for (const ns of namespaces) await run(["ip", "netns", "del", ns], { allowFailure: true });
  for (const ns of existsSync("/etc/netns") ? readdirSync("/etc/netns").filter((n) => n.startsWith(`${prefix}-`)) : []) {
    rmSync(join("/etc/netns", ns), { recursive: true, force: true });
  }
  // overlay mounts died with the mount namespaces; anything still mounted under the dir (a
  // crashed run's) is lazily detached first.
  const dir = `/tmp/${prefix}`;
  const mounts = readFileSync("/proc/self/mounts", "utf8")
    .split("\n")
    .map((l) => l.split(" ")[1])
    .filter((m) => m && m.startsWith(`${dir}/`));
  for (const m of mounts.reverse()) await run(["umount", "-l", m], { allowFailure: true });
  rmSync(dir, { recursive: true, force: true });
}

/** Removes what earlier runs left behind when their owner process is gone. */
export async function sweepStale(): Promise<string[]> {
  const swept: string[] = [];
  const runs = new Set<string>();
  for (const d of readdirSync("/tmp")) if (new RegExp(`^${PREFIX}-[0-9a-f]{6}$`).test(d)) runs.add(d);
  for (const ns of existsSync(NETNS_DIR) ? readdirSync(NETNS_DIR) : []) {
    const m = new RegExp(`^(${PREFIX}-[0-9a-f]{6})-`).exec(ns);
    if (m) runs.add(m[1]);
  }
  for (const prefix of runs) {
    let owner = 0;
    try {
      owner = Number(readFileSync(`/tmp/${prefix}/owner.pid`, "utf8"));
    } catch {
      /* no owner file */
    }
    let alive = false;
    if (owner > 0) {
      try {
        process.kill(owner, 0);
        alive = true;
      } catch {
        alive = false;
      }
    }
    if (!alive) {
      await destroyRun(prefix);
      swept.push(prefix);
    }
  }
  return swept;
}

/** For `sh` users elsewhere in the harness. */
export { sh };
