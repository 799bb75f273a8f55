/**
 * The Dockerfiles the plan builds (`docker_image.build.context` in the synthesized stacks) are
 * read by each host's own engine, with its built-in Dockerfile frontend. A `# syntax=` parser
 * directive would make every build pull that frontend image from Docker Hub first: on a host
 * that reaches no registry (the e2e hosts; a homelab host whose internet is down) the apply
 * fails on it. So the Dockerfiles carry no directive and use only instructions and flags the
 * built-in frontend of Docker Engine 20.10+ reads; the e2e test (npm run test:e2e) builds them
 * with it on real engines.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { kitestacks } from "../../homelab/homelab";
import { buildContextsOf } from "../helpers/shell";
import { synthHomelab } from "../helpers/synth";

/** Problems of one Dockerfile for the engine's built-in frontend; empty when it has none. */
export function frontendProblems(text: string, where: string): string[] {
  const problems: string[] = [];
  const lines = text.split("\n");
  // Parser directives: `# key=value` comments before the first non-comment line.
  for (const [i, line] of lines.entries()) {
    if (!/^\s*#/.test(line)) break;
    if (/^#\s*syntax\s*=/i.test(line)) {
      problems.push(`${where}:${i + 1}: "${line.trim()}" makes each host pull the Dockerfile frontend from a registry before building. Fix: remove the directive (the engine's built-in frontend reads this file).`);
    }
  }
  // BuildKit-only forms that a frontend image would be needed for (dockerfile 1.3+ syntax).
  const onlyWithFrontend: [RegExp, string][] = [
    [/^\s*RUN\s+(--\w+[= ]\S+\s+)*--(mount|network|security)\b/i, "RUN --mount/--network/--security"],
    [/^\s*(RUN|COPY|ADD)\b.*<<-?\s*['"]?[A-Z_]+/i, "a heredoc"],
    [/^\s*(COPY|ADD)\b.*\s--(link|parents|exclude)\b/i, "COPY/ADD --link/--parents/--exclude"],
  ];
  for (const [i, line] of lines.entries()) {
    for (const [re, what] of onlyWithFrontend) {
      if (re.test(line)) problems.push(`${where}:${i + 1}: ${what} needs a newer Dockerfile frontend than the engine's built-in one. Fix: write it with classic instructions.`);
    }
  }
  return problems;
}

describe("Dockerfiles the plan builds", () => {
  const homelab = synthHomelab(kitestacks);
  const contexts = [...homelab.stacks.hosts.values()].flatMap((s) => buildContextsOf(s, homelab.json(s)));

  it("are found in the host stacks", () => {
    expect(contexts.length).toBeGreaterThan(0);
    for (const c of contexts) expect([c.where, existsSync(join(c.context, c.dockerfile ?? "Dockerfile"))]).toEqual([c.where, true]);
  });

  it("need no Dockerfile frontend image: no # syntax= directive, no BuildKit-only forms", () => {
    const problems = [...new Set(contexts.map((c) => join(c.context, c.dockerfile ?? "Dockerfile")))].flatMap((f) => frontendProblems(readFileSync(f, "utf8"), f));
    expect(problems).toEqual([]);
  });

  it("the check finds a directive, a mount and a heredoc (a fixture)", () => {
    const text = ["# syntax=docker/dockerfile:1", "# a comment", "FROM scratch", "RUN --mount=type=cache,target=/c make", "RUN <<EOF", "echo", "EOF", "# syntax=late (a comment, not a directive)"].join("\n");
    expect(frontendProblems(text, "F").map((p) => p.split(":").slice(0, 2).join(":"))).toEqual(["F:1", "F:4", "F:5"]);
  });
});
