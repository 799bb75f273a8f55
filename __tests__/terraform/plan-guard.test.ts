import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { TerraformStack } from "cdktf";
import { checkCandidate, writePlanTree } from "../../scripts/plan-guard";
import { ensureTerraformToolchain, TerraformToolchain } from "../../scripts/terraform-toolchain";
import { goodSpec } from "../fixtures/specs";
import { synthHomelab } from "../helpers/synth";

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v));
const lab = synthHomelab(goodSpec);
const trusted = new Map<string, any>(
  lab.app.node
    .findAll()
    .filter(TerraformStack.isStack)
    .map((s) => [s.node.id, lab.json(s)]),
);
const dockerStack = [...trusted.keys()].find((n) => trusted.get(n).provider?.docker)!;

// Real Terraform (no providers needed): the leaks the guard refuses do print secrets in a plan,
// and the plan tree carries nothing but cdk.tf.json files.
describe("plan guard against real Terraform", () => {
  let tc: TerraformToolchain;
  beforeAll(async () => {
    tc = await ensureTerraformToolchain();
  }, 15 * 60_000);
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
  const scratch = () => {
    const d = mkdtempSync(join(tmpdir(), "sec-plan-guard-"));
    dirs.push(d);
    return d;
  };
  const plan = (dir: string, env: Record<string, string>) =>
    spawnSync("sh", ["-c", '"$TF" init -input=false -no-color >/dev/null && "$TF" plan -input=false -no-color -lock=false'], {
      cwd: dir,
      encoding: "utf8",
      env: { ...tc.env, ...env, TF: tc.terraform },
    });

  test("nonsensitive() and file() would print a sensitive input and a runner file into the plan; the guard refuses both", () => {
    const secret = ["fixture", String(process.pid), "value"].join("-");
    const dir = scratch();
    const keyFile = join(dir, "runner-key");
    writeFileSync(keyFile, `${secret}-from-file`);
    const leaky = {
      variable: { token: { type: "string", sensitive: true } },
      output: { a: { value: "${nonsensitive(var.token)}" }, b: { value: `\${file("${keyFile}")}` } },
    };
    writeFileSync(join(dir, "main.tf.json"), JSON.stringify(leaky));
    const out = plan(dir, { TF_VAR_token: secret });
    expect(out.status).toBe(0);
    expect(out.stdout).toContain(`"${secret}"`);
    expect(out.stdout).toContain(`${secret}-from-file`);
    const c = new Map(trusted);
    c.set(dockerStack, { ...clone(trusted.get(dockerStack)), output: leaky.output });
    const problems = checkCandidate(trusted, c).join("\n");
    expect(problems).toMatch(/output\.a.*calls nonsensitive\(\)/s);
    expect(problems).toMatch(/calls file\(\)/);
  });

  test("an extra .tf file in the artifact runs in a plan if it reaches the stack folder; the plan tree holds only cdk.tf.json", () => {
    const artifact = scratch();
    const trustedDir = scratch();
    const out = join(scratch(), "tree");
    writeFileSync(join(trustedDir, "manifest.json"), JSON.stringify({ stacks: { s: {} } }));
    mkdirSync(join(artifact, "stacks", "s"), { recursive: true });
    const marker = join(artifact, "ran");
    writeFileSync(join(artifact, "stacks", "s", "cdk.tf.json"), JSON.stringify({ output: { ok: { value: "1" } } }));
    // Terraform loads every *.tf in the folder: the extra file's output shows up in the plan.
    writeFileSync(join(artifact, "stacks", "s", "evil.tf"), `output "evil" { value = "${marker}" }\n`);
    const direct = plan(join(artifact, "stacks", "s"), {});
    expect(direct.stdout).toContain(marker);
    writePlanTree(trustedDir, new Map([["s", JSON.parse(readFileSync(join(artifact, "stacks", "s", "cdk.tf.json"), "utf8"))]]), out);
    expect(existsSync(join(out, "stacks", "s", "evil.tf"))).toBe(false);
    const guarded = plan(join(out, "stacks", "s"), {});
    expect(guarded.status).toBe(0);
    expect(guarded.stdout).not.toContain(marker);
    expect(guarded.stdout).toContain("ok");
  });
});
