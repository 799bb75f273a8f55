/**
 * `npm run doctor`: preflight before a deploy. Prints a checklist and exits 1 when anything
 * blocks:
 *   - inputs: every variable the synthesized stacks declare is set (TF_VAR_<name>, or a
 *     *.auto.tfvars / *.auto.tfvars.json file in the working directory or a stack's folder
 *     under cdktf.out/stacks), and passes that variable's own validation conditions;
 *   - tools: terraform or tofu, ssh, the docker CLI (post-start steps run `docker exec`);
 *   - hosts: `ssh -o StrictHostKeyChecking=yes -o BatchMode=yes -o ConnectTimeout=5
 *     <user>@<tailscale name> docker info` (the host-key options the Docker provider uses,
 *     constructs/ssh-options.ts: a host missing from known_hosts fails here, not mid-deploy),
 *     whether its kernel limits swap as the description's `swapLimit` says, and
 *     `tailscale status --json` when the CLI is there.
 * Hosts the app creates (hcloud) may not exist before their first deploy: a warning only.
 */
import { App, TerraformStack } from "cdktf";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { buildHomelab } from "../app";
import { tailscaleName } from "../homelab/derive";
import { kitestacks } from "../homelab/homelab";
import { HomelabSpec, HostSpec } from "../homelab/types";
import { conditionHolds, UnsupportedExpression } from "./tf-validation";
import { SSH_HOST_KEY_OPTIONS } from "../constructs/ssh-options";

export type Status = "ok" | "fail" | "warn";

export interface CheckResult {
  readonly section: "Inputs" | "Tools" | "Hosts";
  readonly status: Status;
  readonly text: string;
}

interface DeclaredVariable {
  readonly name: string;
  readonly type: string;
  readonly stacks: string[];
  readonly validation: readonly { readonly condition: string; readonly error_message: string }[];
}

/** Every variable the app's stacks declare, with the stacks that use it. */
export function declaredVariables(spec: HomelabSpec, repoRoot: string): DeclaredVariable[] {
  const outdir = mkdtempSync(join(tmpdir(), "kite-doctor-"));
  try {
    const app = new App({ outdir });
    buildHomelab(app, spec, { repoRoot });
    const byName = new Map<string, DeclaredVariable>();
    for (const stack of app.node.findAll().filter(TerraformStack.isStack)) {
      const vars = ((stack.toTerraform() as any).variable ?? {}) as Record<string, any>;
      for (const [name, v] of Object.entries(vars)) {
        const known = byName.get(name);
        if (known) known.stacks.push(stack.node.id);
        else byName.set(name, { name, type: String(v.type ?? "string"), stacks: [stack.node.id], validation: v.validation ?? [] });
      }
    }
    return [...byName.values()];
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

/** `name = "value"` / `name = [...]` lines of a tfvars file (the subset people write for inputs). */
export function parseTfvars(text: string): Record<string, string> {
  const values: Record<string, string> = {};
  for (const line of text.split("\n")) {
    const m = /^\s*([A-Za-z_][A-Za-z0-9_-]*)\s*=\s*(.+?)\s*$/.exec(line);
    if (!m || m[1].startsWith("#")) continue;
    const raw = m[2];
    values[m[1]] = raw.startsWith('"') ? JSON.parse(raw) : raw;
  }
  return values;
}

/** Values from *.auto.tfvars(.json) files, with the file each came from. */
function tfvarsValues(dirs: readonly string[]): Map<string, { value: string; source: string }> {
  const found = new Map<string, { value: string; source: string }>();
  for (const dir of dirs) {
    if (!existsSync(dir)) continue;
    for (const file of readdirSync(dir).sort()) {
      const path = join(dir, file);
      let values: Record<string, unknown> | undefined;
      if (file.endsWith(".auto.tfvars.json")) values = JSON.parse(readFileSync(path, "utf8"));
      else if (file.endsWith(".auto.tfvars")) values = parseTfvars(readFileSync(path, "utf8"));
      for (const [k, v] of Object.entries(values ?? {})) {
        if (!found.has(k)) found.set(k, { value: typeof v === "string" ? v : JSON.stringify(v), source: path });
      }
    }
  }
  return found;
}

export function checkInputs(vars: readonly DeclaredVariable[], env: NodeJS.ProcessEnv, cwd: string): CheckResult[] {
  const stacksDir = join(cwd, "cdktf.out", "stacks");
  const dirs = [cwd, ...(existsSync(stacksDir) ? readdirSync(stacksDir).sort().map((d) => join(stacksDir, d)) : [])];
  const files = tfvarsValues(dirs);
  return vars.map((v) => {
    const fromEnv = env[`TF_VAR_${v.name}`];
    const supplied = fromEnv !== undefined ? { value: fromEnv, source: `TF_VAR_${v.name}` } : files.get(v.name);
    const where = `(${v.stacks.join(", ")})`;
    if (!supplied || supplied.value === "") {
      return {
        section: "Inputs",
        status: "fail",
        text: `${v.name} ${where}: not set. Fix: export TF_VAR_${v.name}=… or add ${v.name} = … to a *.auto.tfvars file`,
      };
    }
    let value: string | string[] = supplied.value;
    if (v.type.startsWith("list(")) {
      try {
        value = JSON.parse(supplied.value);
      } catch {
        return { section: "Inputs", status: "fail", text: `${v.name} ${where}: ${v.type} must be a list, e.g. ["a@example.com"] (from ${supplied.source})` };
      }
    }
    const problems: string[] = [];
    for (const rule of v.validation) {
      try {
        if (!conditionHolds(rule.condition, v.name, value)) problems.push(rule.error_message);
      } catch (e) {
        if (e instanceof UnsupportedExpression) {
          return { section: "Inputs", status: "warn", text: `${v.name} ${where}: set (from ${supplied.source}); format not checked here (${e.message}), Terraform will` };
        }
        problems.push(rule.error_message);
      }
    }
    return problems.length > 0
      ? { section: "Inputs", status: "fail", text: `${v.name} ${where}: ${problems.join(" ")} (from ${supplied.source})` }
      : { section: "Inputs", status: "ok", text: `${v.name} ${where} (from ${supplied.source})` };
  });
}

function run(command: string, args: readonly string[], env: NodeJS.ProcessEnv, timeoutMs = 15000) {
  const r = spawnSync(command, args, { env, encoding: "utf8", timeout: timeoutMs });
  const output = `${r.stdout ?? ""}${r.stderr ?? ""}`.trim();
  return { ok: r.status === 0 && !r.error, missing: (r.error as NodeJS.ErrnoException | undefined)?.code === "ENOENT", output };
}

const firstLine = (text: string) => text.split("\n")[0] ?? "";

export function checkTools(env: NodeJS.ProcessEnv): CheckResult[] {
  const results: CheckResult[] = [];
  const terraform = run("terraform", ["version"], env);
  const tofu = terraform.ok ? undefined : run("tofu", ["version"], env);
  if (terraform.ok) results.push({ section: "Tools", status: "ok", text: `terraform: ${firstLine(terraform.output)}` });
  else if (tofu?.ok) results.push({ section: "Tools", status: "ok", text: `tofu: ${firstLine(tofu.output)}` });
  else results.push({ section: "Tools", status: "fail", text: "terraform or tofu: not found. Fix: install Terraform >= 1.10 (or OpenTofu) and put it on PATH" });
  const ssh = run("ssh", ["-V"], env);
  results.push(
    ssh.ok
      ? { section: "Tools", status: "ok", text: `ssh: ${firstLine(ssh.output)}` }
      : { section: "Tools", status: "fail", text: "ssh: not found. Fix: install the OpenSSH client (the Docker provider dials ssh://)" },
  );
  const docker = run("docker", ["--version"], env);
  results.push(
    docker.ok
      ? { section: "Tools", status: "ok", text: `docker CLI: ${firstLine(docker.output)}` }
      : { section: "Tools", status: "fail", text: "docker CLI: not found. Fix: install the docker client (post-start steps run docker exec over SSH)" },
  );
  return results;
}

/** Online state of each tailnet peer by host name, from `tailscale status --json`. */
function tailnetPeers(env: NodeJS.ProcessEnv): Map<string, boolean> | undefined {
  const status = run("tailscale", ["status", "--json"], env);
  if (!status.ok) return undefined;
  const json = JSON.parse(status.output) as { Self?: any; Peer?: Record<string, any> };
  const peers = new Map<string, boolean>();
  for (const p of [json.Self, ...Object.values(json.Peer ?? {})].filter(Boolean)) {
    const name = String(p.DNSName ?? "").split(".")[0] || String(p.HostName ?? "");
    peers.set(name.toLowerCase(), p.Online !== false);
  }
  return peers;
}

export function checkHosts(spec: HomelabSpec, env: NodeJS.ProcessEnv): CheckResult[] {
  const results: CheckResult[] = [];
  const peers = tailnetPeers(env);
  if (!peers) results.push({ section: "Hosts", status: "warn", text: "tailscale status: CLI not found or not logged in; relying on the SSH checks" });
  for (const host of spec.hosts) {
    const name = tailscaleName(host);
    const created = host.provisioning.kind === "hcloud";
    const soft: Status = created ? "warn" : "fail";
    const firstDeploy = created ? ` (${host.name} is created by its vm stack: expected before the first deploy)` : "";
    if (peers) {
      const online = peers.get(name.toLowerCase());
      results.push(
        online
          ? { section: "Hosts", status: "ok", text: `${host.name}: online on the tailnet as ${name}` }
          : { section: "Hosts", status: soft, text: `${host.name}: ${online === false ? "offline" : "not"} on the tailnet as ${name}. Fix: start tailscale on the host (tailscale up) or check its name${firstDeploy}` },
      );
    }
    const target = `${host.sshUser}@${name}`;
    // No spaces in the format: ssh hands the words to the remote shell, which splits them again.
    const ssh = run("ssh", [...SSH_HOST_KEY_OPTIONS, "-o", "BatchMode=yes", "-o", "ConnectTimeout=5", target, "docker", "info", "--format", "{{.ServerVersion}}/{{.SwapLimit}}"], env, 20000);
    const [engineVersion, swapLimit] = firstLine(ssh.output).split("/");
    const hostKey = /Host key verification failed|REMOTE HOST IDENTIFICATION HAS CHANGED|No [A-Z0-9-]+ host key is known/.test(ssh.output);
    results.push(
      ssh.ok
        ? { section: "Hosts", status: "ok", text: `${host.name}: ssh ${target} docker info → Docker ${engineVersion}` }
        : hostKey
        ? {
            section: "Hosts",
            status: soft,
            text: `${host.name}: ssh ${target}: the host key is not in known_hosts (or changed). Fix: add ${name}'s key to ~/.ssh/known_hosts (CI: the SSH_KNOWN_HOSTS secret), compared with /etc/ssh/ssh_host_ed25519_key.pub on the host; never accept it blindly${firstDeploy}`,
          }
        : {
            section: "Hosts",
            status: soft,
            text: `${host.name}: ssh ${target} docker info failed: ${firstLine(ssh.output) || "no output"}. Fix: join the tailnet, load the deploy key (ssh-add), and add ${host.sshUser} to the docker group on ${host.name}${firstDeploy}`,
          },
    );
    if (ssh.ok) results.push(...checkSwapLimit(host, swapLimit));
  }
  return results;
}

/** The description's `swapLimit` against the engine's (constructs/no-swap-limit.ts says why). */
function checkSwapLimit(host: HostSpec, engine: string | undefined): CheckResult[] {
  const described = host.swapLimit !== false;
  if (engine !== "true" && engine !== "false") return [];
  if ((engine === "true") === described) return [{ section: "Hosts", status: "ok", text: `${host.name}: swap limit per container ${described ? "supported" : "not supported"}, as homelab/hosts.ts says` }];
  return [
    engine === "false"
      ? {
          section: "Hosts",
          status: "warn",
          text: `${host.name}: the kernel cannot limit swap per container (docker info: SwapLimit false), so every plan would update memory_swap on every container. Fix: set swapLimit: false on ${host.name} in homelab/hosts.ts, or turn on swap accounting (cgroup v2, or swapaccount=1 on the kernel command line) and reboot`,
        }
      : {
          section: "Hosts",
          status: "warn",
          text: `${host.name}: homelab/hosts.ts sets swapLimit: false but the kernel limits swap per container (docker info: SwapLimit true), so its containers may swap without limit. Fix: remove swapLimit: false from ${host.name} in homelab/hosts.ts`,
        },
  ];
}

const MARK: Record<Status, string> = { ok: "✓", fail: "✗", warn: "!" };

export function formatChecklist(results: readonly CheckResult[]): string {
  const lines = ["KiteStacks doctor"];
  for (const section of ["Inputs", "Tools", "Hosts"] as const) {
    lines.push("", section);
    for (const r of results.filter((x) => x.section === section)) lines.push(`  ${MARK[r.status]} ${r.text}`);
  }
  const blocking = results.filter((r) => r.status === "fail").length;
  const warnings = results.filter((r) => r.status === "warn").length;
  lines.push("", blocking === 0 ? `Ready to deploy (${warnings} warning${warnings === 1 ? "" : "s"}).` : `${blocking} blocking problem${blocking === 1 ? "" : "s"}: fix the ✗ lines, then run npm run doctor again.`);
  return lines.join("\n") + "\n";
}

export function doctor(spec: HomelabSpec, env: NodeJS.ProcessEnv, cwd: string, repoRoot: string): { results: CheckResult[]; exitCode: number } {
  const results = [...checkInputs(declaredVariables(spec, repoRoot), env, cwd), ...checkTools(env), ...checkHosts(spec, env)];
  return { results, exitCode: results.some((r) => r.status === "fail") ? 1 : 0 };
}

if (require.main === module) {
  try {
    const { results, exitCode } = doctor(kitestacks, process.env, process.cwd(), resolve(__dirname, ".."));
    process.stdout.write(formatChecklist(results));
    process.exit(exitCode);
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
}
