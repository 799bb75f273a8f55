/**
 * Secrets never in plan text: a real `terraform plan` of monk-docker, the host stack that reads
 * every generated password (kscloud1-docker's state) and the tunnel token (edge's state)
 * through terraform_remote_state, with the docker provider talking to a Docker engine this
 * test starts. The upstream states are fixtures whose outputs hold random test secrets.
 *
 * A remote-state output loses its sensitive mark (hashicorp/terraform#29544); KiteStack
 * re-marks every such read with sensitive() (stacks/kite-stack.ts). The control case strips
 * that wrapper from a copy of the stack and must see the secrets leak, so this test can fail.
 *
 * Stand-in: the docker provider is the nearest build the Go module proxy serves (the 3.6.2 pin
 * is refused there, docs/terraform.md). Which values Terraform prints is decided by Terraform
 * core's sensitivity marks, which is what this test is about.
 */
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { TerraformToolchain } from "../../scripts/terraform-toolchain";
import { DockerEngine, startDockerEngine } from "./docker-engine";
import { fixtureUpstreamStates, testInputs, upstreamReads } from "./stack-inputs";
import { repoRoot, runTerraform, synthesizeInto, tempDir, terraformToolchain, useStandIns } from "./terraform";

const STACK = "monk-docker";
const dir = tempDir("plan");
const synth = synthesizeInto(dir);
let tc: TerraformToolchain;
let engine: DockerEngine | undefined;
const started = Date.now();

interface PlanRun {
  /** plan stdout+stderr, `terraform show` of the plan, the PR summary: every text a person or CI log sees. */
  readonly texts: Record<string, string>;
  readonly planStatus: number | null;
}

/** init + plan + show + the PR summary script, in one stack directory. */
function planStack(stackDir: string, env: NodeJS.ProcessEnv, label: string): PlanRun {
  const init = runTerraform(tc, stackDir, ["init", "-input=false", "-no-color"], env);
  if (init.status !== 0) throw new Error(`${label}: terraform init failed:\n${init.stderr}${init.stdout}`);
  const plan = runTerraform(tc, stackDir, ["plan", "-input=false", "-no-color", "-out=plan.tfplan"], env);
  const texts: Record<string, string> = { "plan stdout": plan.stdout, "plan stderr": plan.stderr, "init output": init.stdout + init.stderr };
  if (plan.status === 0) {
    texts["terraform show"] = runTerraform(tc, stackDir, ["show", "-no-color", "plan.tfplan"], env).stdout;
    const plans = join(stackDir, "plans");
    mkdirSync(plans, { recursive: true });
    // What CI posts: plan-summary.ts over `terraform show -json` (scripts/ci-plan.sh).
    writeFileSync(join(plans, `${STACK}.json`), runTerraform(tc, stackDir, ["show", "-json", "plan.tfplan"], env).stdout);
    writeFileSync(join(plans, "order"), `${STACK}\n`);
    const summary = spawnSync(join(repoRoot, "node_modules", ".bin", "tsx"), [join(repoRoot, "scripts", "plan-summary.ts"), "render", plans], { encoding: "utf8" });
    texts["PR summary"] = summary.stdout + summary.stderr;
    if (summary.status !== 0) throw new Error(`plan-summary failed: ${summary.stderr}`);
  }
  return { texts, planStatus: plan.status };
}

/** Which known secrets appear in which texts. */
function leaks(run: PlanRun, secrets: Map<string, string>): string[] {
  const found: string[] = [];
  for (const [where, text] of Object.entries(run.texts)) {
    for (const [name, value] of secrets) if (text.includes(value)) found.push(`${name} in ${where}`);
  }
  return found;
}

let secrets: Map<string, string>;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  tc = await terraformToolchain();
  engine = await startDockerEngine("plan");
  const stackDir = synth.stackDir(STACK);
  secrets = fixtureUpstreamStates(tc, dir, upstreamReads(readFileSync(join(stackDir, "cdk.tf.json"), "utf8")));
  const inputs = testInputs(JSON.parse(readFileSync(join(stackDir, "cdk.tf.json"), "utf8")));
  env = inputs.env;
  for (const [k, v] of inputs.secrets) secrets.set(k, v);
  // The provider dials the test's engine instead of ssh://deploy@monk.
  writeFileSync(join(stackDir, "docker_host_override.tf.json"), JSON.stringify({ provider: { docker: { host: engine.host, ssh_opts: [] } } }, null, 2));
  useStandIns(tc, stackDir);
});

afterAll(async () => {
  await engine?.stop();
  rmSync(dir, { recursive: true, force: true });
  process.stdout.write(`secrets plan test: ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
});

describe(`terraform plan of ${STACK} with known secrets in the upstream states`, () => {
  test("reads every generated password and the tunnel token from upstream state", () => {
    const names = [...secrets.keys()];
    expect(names.some((n) => n.startsWith("edge:") && n.includes("tunnel"))).toBe(true);
    expect(names.filter((n) => n.startsWith("kscloud1-docker:") && n.includes("random_password")).length).toBeGreaterThan(10);
  });

  test("no secret appears in the plan, terraform show, or the PR summary", () => {
    const run = planStack(synth.stackDir(STACK), env, STACK);
    expect({ status: run.planStatus, stderr: run.texts["plan stderr"] }).toEqual({ status: 0, stderr: "" });
    // The plan really used the values: it shows their places as sensitive.
    expect(run.texts["plan stdout"]).toMatch(/\(sensitive value\)/);
    expect(run.texts["PR summary"]).toMatch(/\| `monk-docker` \| \d+ \| 0 \| 0 \|/);
    expect(leaks(run, secrets)).toEqual([]);
  });

  test("control: without the re-marking, the plan prints them (so the check above can fail)", () => {
    const control = join(dir, "control", STACK);
    cpSync(synth.stackDir(STACK), control, { recursive: true, filter: (src) => !/[/\\](\.terraform|plans|plan\.tfplan)/.test(src.slice(synth.stackDir(STACK).length)) });
    const file = join(control, "cdk.tf.json");
    const stripped = readFileSync(file, "utf8").replace(/sensitive\((data\.terraform_remote_state\.[A-Za-z0-9_.-]+)\)/g, "$1");
    expect(stripped).not.toContain("sensitive(data.terraform_remote_state");
    writeFileSync(file, stripped);
    const run = planStack(control, env, `${STACK} (control)`);
    expect(run.planStatus).toBe(0);
    const leaked = leaks(run, secrets);
    expect(leaked.filter((l) => l.includes("in plan stdout")).length).toBeGreaterThan(0);
  });
});
