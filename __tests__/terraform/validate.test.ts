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

  test("every provider a stack requires is in the mirror, at its pin or as a named stand-in", () => {
    const problems: string[] = [];
    for (const stack of synth.stacks) {
      for (const [name, p] of Object.entries(requiredProviders(synth.stackDir(stack)))) {
        const address = providerAddress(p.source);
        if (!tc.available.has(address) && !tc.standIns.has(address)) problems.push(`${stack}: ${name} (${address} ${p.version}) is not in the mirror`);
      }
    }
    expect(problems).toEqual([]);
  });

  test.each(synth.stacks)("%s passes terraform init and terraform validate", (stack) => {
    const standIns = useStandIns(tc, synth.stackDir(stack));
    const result = validateStack(tc, stack, synth.stackDir(stack));
    process.stdout.write(
      `${stack}: ${result.valid ? "valid" : "INVALID"}${standIns.length > 0 ? ` (stand-ins: ${standIns.join(", ")})` : " (pinned providers)"}` +
        `${result.warnings.length > 0 ? `\n  ${result.warnings.join("\n  ")}` : ""}\n`,
    );
    expect(result.errors).toEqual([]);
    expect(result.valid).toBe(true);
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
