import { readFileSync } from "node:fs";
import { join } from "node:path";
import { stackNames } from "../../app";
import { generateDocs, renderArchitecture, renderServices, stackFacts } from "../../scripts/docs";
import { publicHostnames } from "../../homelab/derive";
import { kitestacks } from "../../homelab/homelab";
import { goodSpec, withService } from "../fixtures/specs";
import { repoRoot } from "../helpers/synth";

describe("generated docs", () => {
  const generated = generateDocs(kitestacks, repoRoot);

  test.each([...generated.keys()])("%s is up to date (run `npm run docs` and commit when this fails)", (path) => {
    expect(readFileSync(join(repoRoot, path), "utf8")).toBe(generated.get(path));
  });

  test("output is deterministic", () => {
    expect(generateDocs(kitestacks, repoRoot)).toEqual(generated);
  });

  test("the diagram has every host, its connector, every public service per connector host and the shared Postgres over Tailscale", () => {
    const md = generated.get("docs/architecture.md")!;
    expect(md).toContain("```mermaid\nflowchart LR");
    const pg = kitestacks.sharedPostgres!;
    for (const host of kitestacks.hosts) {
      expect(md).toContain(`subgraph host_${host.name}[`);
      expect(md).toContain(`tunnel -- "connector" --> ${host.name}_cloudflared`);
      if (host.name !== pg.host) expect(md).toMatch(new RegExp(`${host.name}_\\w+ -\\. "Tailscale" \\.-> ${pg.host}_${pg.containerName.replace(/-/g, "_")}`));
    }
    for (const { hostname } of publicHostnames(kitestacks)) expect(md).toContain(`| \`${hostname}\` |`);
    expect(md).toContain(`| 1 | \`${stackNames.edge}\` |`);
  });

  test("the inventory lists every service with hostnames, hosts, state note, SSO and image", () => {
    const md = generated.get("docs/services.md")!;
    for (const s of kitestacks.services) {
      const row = md.split("\n").find((l) => l.includes(`(\`${s.name}\`)`))!;
      expect(row).toContain(s.state);
      if (s.stateNote) expect(row).toContain(s.stateNote);
      if ("ref" in s.image) expect(row).toContain(s.image.ref);
      for (const h of s.hostnames ?? []) expect(row).toContain(h);
    }
  });

  test("a spec change shows up: a changed image and state note change the inventory", () => {
    const svc = goodSpec.services.find((s) => s.state === "per-host" && "ref" in s.image)!;
    const spec = withService(goodSpec, svc.name, { stateNote: "fixture note", image: { ref: "example/fixture:99.0.0" }, port: 4321 });
    const md = renderServices(spec);
    expect(md).toContain("per-host: fixture note");
    expect(md).toContain("`example/fixture:99.0.0`");
    expect(renderArchitecture(spec, stackFacts(spec, repoRoot))).toContain(`${svc.name}:4321`);
  });
});
