import { spawnSync } from "node:child_process";
import { stackNames } from "../../app";
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FIXED_INPUTS, tailscaleAddressInput } from "../../constructs/homelab-inputs";
import { checkInputs, declaredVariables, doctor, formatChecklist, parseTfvars } from "../../scripts/doctor";
import { conditionHolds } from "../../scripts/tf-validation";
import { primaryHost, tailscaleName } from "../../homelab/derive";
import { kitestacks } from "../../homelab/homelab";
import { goodSpec } from "../fixtures/specs";
import { repoRoot } from "../helpers/synth";

const existing = kitestacks.hosts.find((h) => h.provisioning.kind === "existing")!;
const created = kitestacks.hosts.find((h) => h.provisioning.kind === "hcloud")!;

/** A PATH holding only stub executables that print canned output (models of the real tools). */
function stubPath(stubs: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "kite-doctor-bin-"));
  for (const [name, body] of Object.entries(stubs)) {
    writeFileSync(join(dir, name), `#!/bin/sh\n${body}\n`);
    chmodSync(join(dir, name), 0o755);
  }
  return dir;
}

const tailscaleJson = (online: Record<string, boolean>) =>
  JSON.stringify({
    Self: { HostName: "ci", DNSName: "ci.tail1234.ts.net.", Online: true },
    Peer: Object.fromEntries(Object.entries(online).map(([name, on], i) => [`key${i}`, { HostName: name, DNSName: `${name}.tail1234.ts.net.`, Online: on }])),
  });

const TOOLS = {
  terraform: 'echo "Terraform v1.13.3"',
  docker: 'echo "Docker version 27.3.1, build ce12230"',
};
/** ssh: -V prints a version; a host in `up` answers docker info (version/swap limit), any other times out. */
const sshStub = (up: string[], swapLimit: Record<string, boolean> = {}) =>
  `if [ "$1" = "-V" ]; then echo "OpenSSH_9.2p1" >&2; exit 0; fi
case "$*" in
${up.map((u) => `  *@${u}\\ *) echo "27.3.1/${swapLimit[u] ?? true}"; exit 0;;`).join("\n")}
  *) echo "ssh: connect to host port 22: Connection timed out" >&2; exit 255;;
esac`;

/** Valid values for every input, keyed by variable name (built at run time: no credential literals). */
function validInputs(): Record<string, string> {
  const env: Record<string, string> = {
    [`TF_VAR_${FIXED_INPUTS.cloudflareApiToken.name}`]: "t".repeat(40),
    [`TF_VAR_${FIXED_INPUTS.cloudflareAccountId.name}`]: "0123456789abcdef".repeat(2),
    [`TF_VAR_${FIXED_INPUTS.cloudflareZoneId.name}`]: "fedcba9876543210".repeat(2),
    [`TF_VAR_${FIXED_INPUTS.accessAllowedEmails.name}`]: '["admin@example.com"]',
    [`TF_VAR_${FIXED_INPUTS.hcloudToken.name}`]: "h".repeat(64),
    [`TF_VAR_${FIXED_INPUTS.sshPublicKey.name}`]: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5 deploy@laptop",
    [`TF_VAR_${FIXED_INPUTS.tailscaleAuthKey.name}`]: ["tskey", "auth", "fixture"].join("-"),
    TF_VAR_admin_email: "admin@example.com",
    TF_VAR_smtp_host: "smtp.example.com",
    TF_VAR_smtp_username: "mailer@example.com",
    TF_VAR_smtp_password: "fixture-value",
    [`TF_VAR_${FIXED_INPUTS.backupS3Endpoint.name}`]: `https://${"0123456789abcdef".repeat(2)}.r2.cloudflarestorage.com`,
    [`TF_VAR_${FIXED_INPUTS.backupS3Bucket.name}`]: "kitestacks-backups",
    [`TF_VAR_${FIXED_INPUTS.backupS3AccessKeyId.name}`]: "k".repeat(32),
    [`TF_VAR_${FIXED_INPUTS.backupS3SecretAccessKey.name}`]: "s".repeat(64),
  };
  kitestacks.hosts.forEach((h, i) => (env[`TF_VAR_${tailscaleAddressInput(h).name}`] = `100.100.0.${i + 1}`));
  return env;
}

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
const scratch = () => {
  const d = mkdtempSync(join(tmpdir(), "kite-doctor-cwd-"));
  dirs.push(d);
  return d;
};

describe("npm run doctor", () => {
  const variables = declaredVariables(goodSpec, repoRoot);

  test("checks every variable the synthesized stacks declare", () => {
    expect(variables.map((v) => v.name).sort()).toEqual(Object.keys(validInputs()).map((k) => k.replace(/^TF_VAR_/, "")).sort());
  });

  test("everything in place: all ✓, exit 0", () => {
    const bin = stubPath({ ...TOOLS, ssh: sshStub(kitestacks.hosts.map(tailscaleName)), tailscale: `printf '%s\\n' '${tailscaleJson(Object.fromEntries(kitestacks.hosts.map((h) => [tailscaleName(h), true])))}'` });
    dirs.push(bin);
    const { results, exitCode } = doctor(goodSpec, { ...validInputs(), PATH: bin }, scratch(), repoRoot);
    const text = formatChecklist(results);
    expect(exitCode).toBe(0);
    expect(text).not.toMatch(/✗|^ {2}!/m);
    expect(text).toContain(`  ✓ ${FIXED_INPUTS.hcloudToken.name} (${stackNames.vm(created.name)}) (from TF_VAR_${FIXED_INPUTS.hcloudToken.name})`);
    expect(text).toContain("  ✓ terraform: Terraform v1.13.3");
    expect(text).toContain(`  ✓ ${existing.name}: online on the tailnet as ${tailscaleName(existing)}`);
    expect(text).toContain(`  ✓ ${existing.name}: ssh ${existing.sshUser}@${tailscaleName(existing)} docker info → Docker 27.3.1`);
    expect(text.trim().endsWith("Ready to deploy (0 warnings).")).toBe(true);
  });

  test("missing and malformed inputs, a missing tool and an unreachable host: ✗ with the fix, exit 1", () => {
    const bin = stubPath({ docker: TOOLS.docker, ssh: sshStub([]) });
    dirs.push(bin);
    const env: Record<string, string> = { ...validInputs(), PATH: bin };
    delete env[`TF_VAR_${FIXED_INPUTS.hcloudToken.name}`];
    env[`TF_VAR_${FIXED_INPUTS.cloudflareZoneId.name}`] = "NOT-HEX";
    env[`TF_VAR_${tailscaleAddressInput(existing).name}`] = "192.168.1.20";
    const { results, exitCode } = doctor(goodSpec, env, scratch(), repoRoot);
    const text = formatChecklist(results);
    expect(exitCode).toBe(1);
    expect(text).toContain(`  ✗ ${FIXED_INPUTS.hcloudToken.name} (${stackNames.vm(created.name)}): not set. Fix: export TF_VAR_${FIXED_INPUTS.hcloudToken.name}=…`);
    expect(text).toContain(`  ✗ ${FIXED_INPUTS.cloudflareZoneId.name} (${stackNames.edge}): ${FIXED_INPUTS.cloudflareZoneId.validation[0].errorMessage}`);
    // Every host stack reads every host's address (the forwarders of homed services dial the home).
    const hostStacks = kitestacks.hosts.map((h) => stackNames.host(h.name)).sort().join(", ");
    expect(text).toContain(`  ✗ ${tailscaleAddressInput(existing).name} (${hostStacks}): ${tailscaleAddressInput(existing).validation![0].errorMessage}`);
    expect(text).toContain("  ✗ terraform or tofu: not found. Fix: install Terraform");
    expect(text).toContain("  ! tailscale status: CLI not found");
    expect(text).toMatch(new RegExp(`  ✗ ${existing.name}: ssh ${existing.sshUser}@${tailscaleName(existing)} docker info failed: ssh: connect to host port 22: Connection timed out\\. Fix: join the tailnet`));
    // The host the vm stack creates may not exist yet: a warning, not a blocker.
    expect(text).toMatch(new RegExp(`  ! ${created.name}: ssh .* \\(${created.name} is created by its vm stack: expected before the first deploy\\)`));
    expect(text).toMatch(/\n5 blocking problems: fix the ✗ lines/);
    expect(text).not.toContain("NOT-HEX");
  });

  test("hosts are checked with the Docker provider's strict host-key options; an unknown key gets its own fix", () => {
    // The stub answers only when ssh is asked for strict host keys, and reports an unknown key
    // for the existing host the way OpenSSH does.
    const ssh = `if [ "$1" = "-V" ]; then echo "OpenSSH_9.2p1" >&2; exit 0; fi
case "$*" in
  *StrictHostKeyChecking=yes*@${tailscaleName(existing)}\\ *) echo "No ED25519 host key is known for ${tailscaleName(existing)} and you have requested strict checking." >&2; echo "Host key verification failed." >&2; exit 255;;
  *StrictHostKeyChecking=yes*) echo "27.3.1/true"; exit 0;;
  *) echo "stub: strict host key checking was not requested" >&2; exit 255;;
esac`;
    const bin = stubPath({ ...TOOLS, ssh });
    dirs.push(bin);
    const { results } = doctor(goodSpec, { ...validInputs(), PATH: bin }, scratch(), repoRoot);
    const text = formatChecklist(results);
    expect(text).toContain(`  ✓ ${created.name}: ssh ${created.sshUser}@${tailscaleName(created)} docker info → Docker 27.3.1`);
    expect(text).toContain(`  ✗ ${existing.name}: ssh ${existing.sshUser}@${tailscaleName(existing)}: the host key is not in known_hosts (or changed). Fix: add ${tailscaleName(existing)}'s key to ~/.ssh/known_hosts (CI: the SSH_KNOWN_HOSTS secret)`);
  });

  test("a kernel without a per-container swap limit, or a description that says so wrongly: a warning with the fix", () => {
    const bin = stubPath({ ...TOOLS, ssh: sshStub(kitestacks.hosts.map(tailscaleName), { [tailscaleName(existing)]: false }) });
    dirs.push(bin);
    // The engine has no swap limit, the description does not say so: every plan would show memory_swap.
    let text = formatChecklist(doctor(goodSpec, { ...validInputs(), PATH: bin }, scratch(), repoRoot).results);
    expect(text).toContain(`  ! ${existing.name}: the kernel cannot limit swap per container (docker info: SwapLimit false)`);
    expect(text).toContain(`Fix: set swapLimit: false on ${existing.name} in homelab/hosts.ts`);
    expect(text).toContain(`  ✓ ${created.name}: swap limit per container supported, as homelab/hosts.ts says`);
    // Said in the description: fine.
    const said = { ...goodSpec, hosts: goodSpec.hosts.map((h) => (h.name === existing.name ? { ...h, swapLimit: false } : h)) };
    text = formatChecklist(doctor(said, { ...validInputs(), PATH: bin }, scratch(), repoRoot).results);
    expect(text).toContain(`  ✓ ${existing.name}: swap limit per container not supported, as homelab/hosts.ts says`);
    // Said wrongly (the kernel does limit swap): containers would swap without limit.
    const wrong = { ...goodSpec, hosts: goodSpec.hosts.map((h) => (h.name === created.name ? { ...h, swapLimit: false } : h)) };
    text = formatChecklist(doctor(wrong, { ...validInputs(), PATH: bin }, scratch(), repoRoot).results);
    expect(text).toContain(`  ! ${created.name}: homelab/hosts.ts sets swapLimit: false but the kernel limits swap per container`);
  });

  test("values from *.auto.tfvars files count, and say where they came from", () => {
    const cwd = scratch();
    const stackDir = join(cwd, "cdktf.out", "stacks", stackNames.host(primaryHost(goodSpec).name));
    mkdirSync(stackDir, { recursive: true });
    writeFileSync(join(cwd, "secrets.auto.tfvars"), `# inputs\nsmtp_host = "smtp.example.org"\n`);
    writeFileSync(join(stackDir, "x.auto.tfvars.json"), JSON.stringify({ smtp_password: "from-json" }));
    const env = validInputs();
    delete env.TF_VAR_smtp_host;
    delete env.TF_VAR_smtp_password;
    const results = checkInputs(variables, env, cwd);
    expect(results.find((r) => r.text.startsWith("smtp_host"))).toEqual(expect.objectContaining({ status: "ok", text: expect.stringContaining(`from ${join(cwd, "secrets.auto.tfvars")}`) }));
    expect(results.find((r) => r.text.startsWith("smtp_password"))).toEqual(expect.objectContaining({ status: "ok", text: expect.stringContaining("x.auto.tfvars.json") }));
    expect(parseTfvars('a = "x"\nb = ["y"]\n')).toEqual({ a: "x", b: '["y"]' });
  });

  test("the process exits non-zero and prints the checklist", () => {
    const bin = stubPath({});
    dirs.push(bin);
    const run = spawnSync(process.execPath, [join(repoRoot, "node_modules/tsx/dist/cli.mjs"), join(repoRoot, "scripts/doctor.ts")], {
      cwd: scratch(),
      env: { PATH: bin, HOME: process.env.HOME ?? "/tmp" },
      encoding: "utf8",
      timeout: 60000,
    });
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/^KiteStacks doctor\n\nInputs\n {2}✗ /);
    expect(run.stdout).toContain("  ✗ ssh: not found");
  });
});

describe("validation conditions are evaluated as Terraform would", () => {
  const defs = [...Object.values(FIXED_INPUTS), ...kitestacks.hosts.map(tailscaleAddressInput)];
  const good: Record<string, unknown> = Object.fromEntries(Object.entries(validInputs()).map(([k, v]) => [k.replace(/^TF_VAR_/, ""), v.startsWith("[") ? JSON.parse(v) : v]));
  const bad: Record<string, unknown> = { cloudflare_api_token: "short", cloudflare_account_id: "ABC", cloudflare_zone_id: "g".repeat(32), access_allowed_emails: ["not-an-email"], hcloud_token: "h".repeat(63), ssh_public_key: "ssh-dss AAAA", tailscale_auth_key: "tskeyauth", backup_s3_endpoint: "http://bucket.example/path", backup_s3_bucket: "Not_A_Bucket", backup_s3_access_key_id: "short", backup_s3_secret_access_key: "short" };
  test.each(defs.map((d) => [d.name, d] as const))("%s: accepts a good value, rejects a bad one", (name, def) => {
    for (const rule of def.validation ?? []) {
      expect(conditionHolds(rule.condition, name, good[name] as string)).toBe(true);
      expect(conditionHolds(rule.condition, name, (bad[name] ?? "10.0.0.1") as string)).toBe(false);
    }
  });
});
