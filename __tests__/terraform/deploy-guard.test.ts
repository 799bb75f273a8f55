/**
 * `npm run deploy` (scripts/deploy.sh) for real: terraform with the toolchain's providers and a
 * Docker engine of the test's own. A one-stack tree holds what the homelab's data lives in (a
 * protected docker_volume with a file in it, a generated password); then the volume leaves the
 * configuration (what dropping a service from the description does) and the deploy must refuse
 * the plan before applying anything, naming the address; with a `removed { destroy = false }`
 * block (what `retired` emits) it applies and the volume is still there with its file.
 *
 * The tree is written here rather than synthesized from the homelab: the whole host stack would
 * need every image built (the two-host e2e's job). The script, Terraform, the providers and the
 * engine are the real ones; the docker provider is the toolchain's stand-in (docs/terraform.md).
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { PROVIDER_RECIPES, TerraformToolchain } from "../../scripts/terraform-toolchain";
import { DockerEngine, startDockerEngine } from "./docker-engine";
import { repoRoot, runTerraform, tempDir, terraformToolchain, useStandIns } from "./terraform";

const STACK = "data-stack";
const VOLUME = "docker_volume.service-retiring_volume-data_0A1B2C3D";

let tc: TerraformToolchain;
let engine: DockerEngine;
let dir: string;
let stackDir: string;

beforeAll(async () => {
  tc = await terraformToolchain();
  engine = await startDockerEngine("deploy-guard");
  dir = tempDir("deploy-guard");
  stackDir = join(dir, "cdktf.out", "stacks", STACK);
  mkdirSync(stackDir, { recursive: true });
  writeFileSync(join(dir, "cdktf.out", "manifest.json"), JSON.stringify({ version: "0.21.0", stacks: { [STACK]: { name: STACK, dependencies: [] } } }));
});
afterAll(async () => {
  await engine?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** The stack: pinned providers as the host stacks pin them, the test engine as the host. */
function writeStack(options: { volume: boolean; removed: boolean }): void {
  const pin = (name: string) => {
    const r = PROVIDER_RECIPES.find((p) => p.name === name)!;
    return { source: r.source, version: r.version };
  };
  const json: Record<string, unknown> = {
    terraform: {
      required_providers: { docker: pin("docker"), random: pin("random") },
      backend: { local: { path: join(dir, `terraform.${STACK}.tfstate`) } },
    },
    provider: { docker: [{ host: engine.host }], random: [{}] },
    resource: {
      random_password: { "role-password": { length: 32, special: false } },
      ...(options.volume ? { docker_volume: { [VOLUME.split(".")[1]]: { name: "retiring-data", lifecycle: { prevent_destroy: true } } } } : {}),
    },
    ...(options.removed ? { removed: [{ from: VOLUME, lifecycle: { destroy: false } }] } : {}),
  };
  writeFileSync(join(stackDir, "cdk.tf.json"), JSON.stringify(json, null, 2));
  useStandIns(tc, stackDir);
}

function deploy(...args: string[]) {
  const r = spawnSync("bash", [join(repoRoot, "scripts", "deploy.sh"), ...args], {
    cwd: dir,
    env: { ...process.env, ...tc.env, TERRAFORM: tc.terraform, KITESTACKS_OUT: join(dir, "cdktf.out") },
    encoding: "utf8",
    timeout: 10 * 60_000,
  });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

const docker = (...args: string[]) => execFileSync("docker", ["-H", engine.host, ...args], { encoding: "utf8" }).trim();
const state = () => runTerraform(tc, stackDir, ["state", "list"]).stdout.split("\n").filter(Boolean).sort();
const marker = () => {
  const f = join(docker("volume", "inspect", "-f", "{{.Mountpoint}}", "retiring-data"), "marker.txt");
  return existsSync(f) ? readFileSync(f, "utf8") : undefined;
};

describe("npm run deploy: every saved plan passes the data guard before it is applied", () => {
  test("first deploy creates the volume and the password; a second one has nothing to do", () => {
    writeStack({ volume: true, removed: false });
    const first = deploy("--auto-approve");
    expect({ status: first.status, tail: first.out.slice(-600) }).toMatchObject({ status: 0 });
    expect(state()).toEqual(["docker_volume.service-retiring_volume-data_0A1B2C3D", "random_password.role-password"]);
    writeFileSync(join(docker("volume", "inspect", "-f", "{{.Mountpoint}}", "retiring-data"), "marker.txt"), "written before the change\n");
    const again = deploy("--auto-approve");
    expect(again.status).toBe(0);
    expect(again.out).toContain(`== ${STACK}: no changes`);
    // Nothing of the plan is left behind: a saved plan holds its values in clear.
    expect(existsSync(join(stackDir, "deploy.tfplan"))).toBe(false);
  });

  test("the volume leaves the configuration: the guard refuses the plan, names the address, and nothing is applied", () => {
    writeStack({ volume: false, removed: false });
    const refused = deploy("--auto-approve");
    expect(refused.status).toBe(1);
    expect(refused.out).toContain(`${STACK}: ${VOLUME} would be deleted`);
    expect(refused.out).toContain("deploy: stopped at data-stack by the data guard");
    expect(refused.out).not.toContain("Apply complete");
    expect(state()).toContain(VOLUME);
    expect(marker()).toBe("written before the change\n");
  });

  test("with removed { destroy = false } (what `retired` writes) it applies: Terraform forgets the volume, Docker keeps it and its file", () => {
    writeStack({ volume: false, removed: true });
    const applied = deploy("--auto-approve");
    expect({ status: applied.status, tail: applied.out.slice(-600) }).toMatchObject({ status: 0 });
    expect(applied.out).toContain("Apply complete");
    expect(state()).toEqual(["random_password.role-password"]);
    expect(marker()).toBe("written before the change\n");
  });

  test("without --auto-approve anything but 'yes' applies nothing; unknown stacks and options are refused", () => {
    writeStack({ volume: true, removed: false });
    const r = spawnSync("bash", [join(repoRoot, "scripts", "deploy.sh"), STACK], {
      cwd: dir,
      env: { ...process.env, ...tc.env, TERRAFORM: tc.terraform, KITESTACKS_OUT: join(dir, "cdktf.out") },
      input: "no\n",
      encoding: "utf8",
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("not applied (answer was not yes)");
    expect(state()).toEqual(["random_password.role-password"]);
    expect(deploy("nope").out).toContain("deploy: no stack named nope (stacks: data-stack)");
    expect(deploy("--force").status).toBe(2);
  });
});
