/**
 * docs/adopt.md step 3: keeping a password the old homelab already uses (a MariaDB user's, made
 * when its data directory was) by importing it into the stack's random_password, with the real
 * hashicorp/random as pinned. The generated secret's own configuration (length, no special
 * characters) comes from the synthesized stack. `terraform import` alone records the provider's
 * import defaults (length of the value, special = true), so the next plan replaces the password
 * (and the deploy's data guard refuses that plan); with the state corrected as the step says, the
 * plan is empty and the old value stays.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { kitestacks } from "../../homelab/homelab";
import { TerraformToolchain } from "../../scripts/terraform-toolchain";
import { runTerraform, synthesizeInto, tempDir, terraformToolchain } from "./terraform";

let tc: TerraformToolchain;
let dir: string;
let password: { address: string; body: Record<string, unknown>; providers: Record<string, unknown> };
// What an owner's compose .env holds: longer than the stack's length, with special characters.
const OLD = "Owner's-old-DB-passw0rd:from.the/compose env!#1234567890";

beforeAll(async () => {
  tc = await terraformToolchain();
  dir = tempDir("secret-import");
  const synth = synthesizeInto(dir, kitestacks);
  for (const stack of synth.stacks) {
    const json = JSON.parse(readFileSync(join(synth.stackDir(stack), "cdk.tf.json"), "utf8"));
    const mariadb = kitestacks.services.flatMap((s) => (s.databases ?? []).filter((d) => d.engine === "mariadb").map((d) => `secrets_${s.name}-db-${d.name}_`));
    const found = Object.entries((json.resource?.random_password ?? {}) as Record<string, Record<string, unknown>>).find(([id]) => mariadb.some((m) => id.startsWith(m)));
    if (found) {
      password = { address: `random_password.${found[0]}`, body: found[1], providers: { random: json.terraform.required_providers.random } };
      break;
    }
  }
}, 5 * 60_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const tf = (d: string, ...args: string[]) => runTerraform(tc, d, args);

function stackWithThePassword(label: string): string {
  const d = join(dir, label);
  mkdirSync(d);
  const [, id] = password.address.split(".");
  writeFileSync(join(d, "main.tf.json"), JSON.stringify({ terraform: { required_providers: password.providers }, resource: { random_password: { [id]: password.body } } }, null, 2));
  const init = tf(d, "init", "-input=false", "-no-color");
  if (init.status !== 0) throw new Error(init.stderr + init.stdout);
  const imported = tf(d, "import", "-input=false", "-no-color", password.address, OLD);
  if (imported.status !== 0) throw new Error(imported.stderr + imported.stdout);
  return d;
}

describe("importing an existing password into a generated secret", () => {
  test("the secret is the stack's: no special characters, a fixed length", () => {
    expect(password).toBeDefined();
    expect(password.body).toMatchObject({ special: false, length: expect.any(Number) });
    expect(OLD.length).not.toBe(password.body.length);
  });

  test("terraform import alone: the next plan replaces the password (special and length force it)", () => {
    const d = stackWithThePassword("import-only");
    const plan = tf(d, "plan", "-input=false", "-no-color", "-detailed-exitcode");
    expect(plan.status).toBe(2);
    expect(plan.stdout).toMatch(/must be replaced/);
    expect(plan.stdout).toMatch(/special\s+= true -> false # forces replacement/);
  });

  test("with the state's length and special set to the configuration's (docs/adopt.md step 3), the plan is empty and the old value stays", () => {
    const d = stackWithThePassword("import-and-fix");
    const state = JSON.parse(tf(d, "state", "pull").stdout);
    const attrs = state.resources[0].instances[0].attributes;
    attrs.length = password.body.length;
    attrs.special = false;
    state.serial += 1;
    writeFileSync(join(d, "fixed.tfstate"), JSON.stringify(state));
    expect(tf(d, "state", "push", "fixed.tfstate").status).toBe(0);
    const plan = tf(d, "plan", "-input=false", "-no-color", "-detailed-exitcode");
    expect([plan.status, plan.stdout.includes("No changes")]).toEqual([0, true]);
    const shown = JSON.parse(tf(d, "show", "-json").stdout);
    expect(shown.values.root_module.resources[0].values.result).toBe(OLD);
  });
});
