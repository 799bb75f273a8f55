import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Testing } from "cdktf";
import { buildHomelab, stackNames } from "../../app";
import { checkPolicies, enforcePolicies, POLICIES, PolicyExemption, PolicyViolationError } from "../../policies";
import { PolicyContext } from "../../policies/context";
import { primaryHost } from "../../homelab/derive";
import { goodSpec } from "../fixtures/specs";
import { repoRoot } from "../helpers/synth";
import { spec as noHealthcheckSpec } from "./fixtures/no-healthcheck-spec";
import { check, freshHomelab, rawContainer } from "./helpers";

const other = goodSpec.hosts.find((h) => h.name !== primaryHost(goodSpec).name)!.name;

describe("the real spec", () => {
  const lab = freshHomelab();
  const ctx = new PolicyContext(lab.app, lab.spec);

  test.each(POLICIES.map((p) => [p.id, p] as const))("passes %s", (_id, policy) => {
    expect(policy.check(ctx)).toEqual([]);
  });

  test("has no errors, warnings or exemptions, and every policy has a unique id", () => {
    const report = check(lab);
    expect([report.errors, report.warnings, report.exemptions]).toEqual([[], [], []]);
    expect(new Set(POLICIES.map((p) => p.id)).size).toBe(POLICIES.length);
    expect(POLICIES).toHaveLength(15);
  });

  test("the policies really read the stacks: containers and routes are there to check", () => {
    expect(ctx.resources("docker_container").length).toBeGreaterThan(20);
    expect(ctx.resources("cloudflare_zero_trust_tunnel_cloudflared_config")).toHaveLength(1);
  });
});

describe("the synth gate", () => {
  test("throws ONE error listing every finding of every rule, with rule, address, path, value and fix", () => {
    const lab = freshHomelab();
    const stack = lab.stacks.hosts.get(other)!;
    rawContainer(stack, "rogue", { ports: [{ internal: 80, external: 80 }], restart: undefined, env: ["ADMIN_PASSWORD=changeme123"] });
    rawContainer(lab.stacks.hosts.get(primaryHost(goodSpec).name)!, "rogue-two", { healthcheck: undefined });
    let error: unknown;
    try {
      enforcePolicies(lab.app, lab.spec);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PolicyViolationError);
    const message = (error as Error).message;
    expect(message).toMatch(/^Policy checks failed: 4 errors; nothing was synthesized\./);
    expect(message).toContain(`  - [no-public-port] ${stackNames.host(other)} docker_container.rogue (${stackNames.host(other)}/rogue): ports[0] (80->80)`);
    expect(message).toMatch(/\[container-restart-policy\] .*rogue.*value \(not set\)\. Fix: set restart "unless-stopped"/);
    expect(message).toMatch(/\[no-secret-literal\] .*env\[0\] \(ADMIN_PASSWORD\).*value chan…\(11 chars\)/);
    expect(message).toMatch(/\[container-healthcheck\] .*\/rogue-two\)/);
    expect(message).toMatch(/PolicyExemption\.of\(construct\)\.exempt/);
    expect(message).not.toContain("changeme123");
  });

  test("buildHomelab runs it: a spec that passes validation but breaks a policy builds nothing", () => {
    expect(() => buildHomelab(Testing.app(), noHealthcheckSpec, { repoRoot })).toThrow(/\[container-healthcheck\] .*healthcheck/);
  });

  test("`npm run synth`'s app fails with the list and writes no stack to the output directory", () => {
    const outdir = mkdtempSync(join(tmpdir(), "kite-policy-"));
    try {
      const run = spawnSync(join(repoRoot, "node_modules/.bin/tsx"), ["main.ts"], {
        cwd: repoRoot,
        env: { ...process.env, KITESTACKS_SPEC: join(__dirname, "fixtures/no-healthcheck-spec.ts"), CDKTF_OUTDIR: outdir, KITESTACKS_STATE_BACKEND: "local" },
        encoding: "utf8",
        timeout: 60000,
      });
      expect(run.status).toBe(1);
      expect(run.stderr).toMatch(/Policy checks failed: \d+ errors?; nothing was synthesized\.\n  - \[container-healthcheck\]/);
      // new App() creates the empty folders; no stack directory, cdk.tf.json or manifest follows.
      expect(readdirSync(outdir).filter((f) => f !== "stacks")).toEqual([]);
      expect(existsSync(join(outdir, "stacks")) ? readdirSync(join(outdir, "stacks")) : []).toEqual([]);
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });
});

describe("exemptions", () => {
  test("PolicyExemption waives one rule for a construct and everything under it, and is listed", () => {
    const lab = freshHomelab();
    const stack = lab.stacks.hosts.get(other)!;
    const rogue = rawContainer(stack, "caddy", { ports: [{ internal: 80, external: 80 }], healthcheck: undefined });
    PolicyExemption.of(rogue).exempt("no-public-port", "Caddy serves the *-backup hostnames on :80 outside the tunnel");
    const report = check(lab);
    expect(report.errors.map((e) => e.rule)).toEqual(["container-healthcheck"]);
    PolicyExemption.of(stack).exempt("container-healthcheck", "fixture: the whole stack");
    const logged: string[] = [];
    const after = enforcePolicies(lab.app, lab.spec, { log: (t) => logged.push(t) });
    expect(after.exempted.map((x) => x.finding.rule).sort()).toEqual(["container-healthcheck", "no-public-port"]);
    expect(logged.join("\n")).toContain("Policy exemptions (2):");
    expect(logged.join("\n")).toContain(`  - [no-public-port] ${stackNames.host(other)}/caddy: Caddy serves the *-backup hostnames on :80 outside the tunnel (PolicyExemption; waives 1 finding)`);
    expect(logged.join("\n")).toContain(`  - [container-healthcheck] ${stackNames.host(other)}: fixture: the whole stack (PolicyExemption; waives 1 finding)`);
  });

  test("an exemption without a reason, or for an unknown rule, is an error and waives nothing", () => {
    const lab = freshHomelab();
    const rogue = rawContainer(lab.stacks.hosts.get(other)!, "rogue", { ports: [{ internal: 80, external: 80 }] });
    PolicyExemption.of(rogue).exempt("no-public-port", "  ");
    PolicyExemption.of(rogue).exempt("no-such-rule", "typo");
    const report = check(lab);
    expect(report.errors.map((e) => e.rule).sort()).toEqual(["no-public-port", "policy-exemption", "policy-exemption"]);
    expect(report.errors.find((e) => e.address.includes("no-such-rule"))!.fix).toMatch(/use one of: no-public-port, /);
    expect(report.errors.find((e) => e.problem.includes("reason is empty"))).toBeDefined();
  });

  test("the container label org.kitestacks.policy-exempt.<rule>=<reason> works too", () => {
    const lab = freshHomelab();
    rawContainer(lab.stacks.hosts.get(other)!, "labelled", {
      ports: [{ internal: 80, external: 80 }],
      labels: [{ label: "org.kitestacks.policy-exempt.no-public-port", value: "fixture reason" }],
    });
    const report = checkPolicies(lab.app, lab.spec);
    expect(report.errors).toEqual([]);
    expect(report.exemptions).toEqual([expect.objectContaining({ rule: "no-public-port", reason: "fixture reason", via: "label" })]);
  });
});
