import { readFileSync } from "node:fs";
import { join } from "node:path";
import { repoRoot, synthHomelab } from "./helpers/synth";
import { goodSpec } from "./fixtures/specs";

const readme = readFileSync(join(repoRoot, "README.md"), "utf8");

/** Variable names in the README's inputs table (`tailscale_ip_<host>` stands for every host). */
function documentedInputs(): string[] {
  const section = readme.split("## Inputs")[1].split("\n## ")[0];
  return [...section.matchAll(/^\| (.+?) \|/gm)].flatMap((m) => [...m[1].matchAll(/`([a-z0-9_<>]+)`/g)].map((n) => n[1]));
}

describe("README", () => {
  test("documents every variable a synthesized stack declares, and no variable that does not exist", () => {
    const lab = synthHomelab(goodSpec);
    const stacks = [lab.stacks.edge, ...lab.stacks.vms.values(), ...lab.stacks.hosts.values()];
    const declared = new Set(stacks.flatMap((s) => Object.keys(lab.json(s).variable ?? {})));
    const documented = documentedInputs();
    const asDocumented = (name: string) => name.replace(/^tailscale_ip_.*/, "tailscale_ip_<host>");
    for (const name of declared) expect(documented).toContain(asDocumented(name));
    for (const name of documented) expect([...declared].map(asDocumented)).toContain(name);
  });

  test("its two commands are the ones CI runs", () => {
    const ci = readFileSync(join(repoRoot, ".ci/run"), "utf8");
    expect(readme).toContain("npm ci && npm run synth");
    expect(readme).toContain("npm test");
    expect(ci).toMatch(/npm ci\b/);
    expect(ci).toMatch(/npm run synth\n/);
    expect(ci).toMatch(/npm test\n/);
  });

  test("names every stack the app builds", () => {
    const lab = synthHomelab(goodSpec);
    for (const s of [lab.stacks.edge, ...lab.stacks.vms.values(), ...lab.stacks.hosts.values()]) {
      expect(readme).toContain(`\`${s.node.id}\``);
    }
  });
});
