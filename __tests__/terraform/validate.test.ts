/**
 * Every synthesized stack loaded by Terraform itself: `terraform init` (providers from the
 * local mirror, offline) and `terraform validate -json`, with real provider binaries.
 *
 * Pins the mirror cannot have (docker 3.6.2, cloudflare 5.14.0: the Go module proxy refuses
 * them, docs/terraform.md) are validated against the nearest build the proxy serves, through
 * an override file; each such test says so in its output.
 */
import { cpSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { TerraformToolchain } from "../../scripts/terraform-toolchain";
import {
  providerAddress,
  requiredProviders,
  synthesizeInto,
  tempDir,
  terraformToolchain,
  useStandIns,
  validateStack,
} from "./terraform";

const dir = tempDir("validate");
const synth = synthesizeInto(dir);
let tc: TerraformToolchain;

beforeAll(async () => {
  tc = await terraformToolchain();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("terraform validate on every synthesized stack", () => {
  test("the homelab synthesizes its four stacks", () => {
    expect(synth.stacks).toEqual(["edge", "kscloud1-docker", "kscloud1-vm", "monk-docker"]);
  });

  /** Providers a stack requires that the mirror has neither at the pin nor as a stand-in. */
  const unobtainable = (stack: string) =>
    Object.values(requiredProviders(synth.stackDir(stack)))
      .map((p) => ({ ...p, address: providerAddress(p.source) }))
      .filter((p) => !tc.available.has(p.address) && !tc.standIns.has(p.address));

  test("a stack Terraform cannot load here lacks only providers known to be refused (each named, with the reason)", () => {
    const problems: string[] = [];
    for (const stack of synth.stacks) {
      for (const p of unobtainable(stack)) {
        const status = tc.providers.find((s) => s.address === p.address);
        // A provider without a recipe, or one that should have been built, is a defect here.
        if (!status?.recipe.unavailable) problems.push(`${stack}: ${p.source} ${p.version} is not in the mirror and has no known reason (run npm run providers)`);
        else process.stdout.write(`${stack}: NOT VALIDATED on this machine: ${p.source} ${p.version}: ${status.reason}\n`);
      }
    }
    expect(problems).toEqual([]);
  });

  test.each(synth.stacks)("%s passes terraform init and terraform validate, or lacks only a refused provider (reported above)", (stack) => {
    const missing = unobtainable(stack);
    if (missing.length > 0) {
      // Reported by the test above; init would only repeat "no available releases".
      expect(missing.every((p) => tc.providers.find((s) => s.address === p.address)?.recipe.unavailable)).toBe(true);
      return;
    }
    const standIns = useStandIns(tc, synth.stackDir(stack));
    const result = validateStack(tc, stack, synth.stackDir(stack));
    process.stdout.write(
      `${stack}: ${result.valid ? "valid" : "INVALID"}${standIns.length > 0 ? ` (stand-ins: ${standIns.join(", ")})` : " (pinned providers)"}` +
        `${result.warnings.length > 0 ? `\n  ${result.warnings.join("\n  ")}` : ""}\n`,
    );
    expect(result.errors).toEqual([]);
    expect(result.valid).toBe(true);
  });

  test("at least the VM stack and both host stacks are validated here", () => {
    for (const stack of ["kscloud1-vm", "kscloud1-docker", "monk-docker"]) expect({ stack, missing: unobtainable(stack) }).toEqual({ stack, missing: [] });
  });
});

describe("a stack Terraform rejects", () => {
  test("fails with Terraform's own message and the stack's name", () => {
    // The VM stack runs on pinned providers only; break a copy of it the way a construct bug would.
    const broken = tempDir("broken");
    try {
      const stackDir = join(broken, "kscloud1-vm");
      cpSync(synth.stackDir("kscloud1-vm"), stackDir, { recursive: true });
      const json = JSON.parse(readFileSync(join(stackDir, "cdk.tf.json"), "utf8")) as { resource: { hcloud_server: Record<string, Record<string, unknown>> } };
      const [server] = Object.values(json.resource.hcloud_server);
      server.server_typ = server.server_type;
      delete server.server_type;
      writeFileSync(join(stackDir, "cdk.tf.json"), JSON.stringify(json));
      const result = validateStack(tc, "kscloud1-vm", stackDir);
      expect(result.valid).toBe(false);
      expect(result.errors).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/^kscloud1-vm: error Extraneous JSON object property .*No argument or block type is named "server_typ"/),
          expect.stringMatching(/^kscloud1-vm: error Missing required argument .*The argument "server_type" is required/),
        ]),
      );
    } finally {
      rmSync(broken, { recursive: true, force: true });
    }
  });
});
