/**
 * scripts/adopt.ts stops and restarts the owner's compose projects in an order that works when
 * one joins another's network as external (the owner's Forgejo on `authentik_default`): a
 * model of Docker's two refusals, in both listing orders. The real thing runs in
 * e2e/adoption.e2e.test.ts (docker-compose on kscloud1's two projects).
 */
import { ComposeProject } from "../../homelab/adoption";
import { eachProjectInTurn } from "../../scripts/adopt";

const project = (name: string): ComposeProject => ({ project: name, workingDir: `/srv/${name}`, configFiles: [`/srv/${name}/docker-compose.yml`] });
const owner = project("authentik");
const joiner = project("forgejo");

/** authentik owns the network forgejo joins: `down` of authentik fails while forgejo is up, `up` of forgejo while authentik is down. */
function engine() {
  const up = new Set([owner.project, joiner.project]);
  const calls: string[] = [];
  return {
    up,
    calls,
    down: (p: ComposeProject) => {
      calls.push(`down ${p.project}`);
      if (p === owner && up.has(joiner.project)) return false;
      up.delete(p.project);
      return true;
    },
    start: (p: ComposeProject) => {
      calls.push(`up ${p.project}`);
      if (p === joiner && !up.has(owner.project)) return false;
      up.add(p.project);
      return true;
    },
  };
}

describe("eachProjectInTurn", () => {
  test.each([
    ["network owner listed first", [owner, joiner]],
    ["network owner listed last", [joiner, owner]],
  ])("stops and starts both projects (%s)", (_, order) => {
    const e = engine();
    expect(eachProjectInTurn(order, e.down)).toEqual([]);
    expect(e.up.size).toBe(0);
    expect(eachProjectInTurn(order, e.start)).toEqual([]);
    expect([...e.up].sort()).toEqual([owner.project, joiner.project]);
  });

  test("a project that always fails is returned, once a pass makes no progress", () => {
    const e = engine();
    const stuck = eachProjectInTurn([owner, joiner, project("broken")], (p) => (p.project === "broken" ? (e.calls.push("down broken"), false) : e.down(p)));
    expect(stuck.map((p) => p.project)).toEqual(["broken"]);
    expect(e.calls).toEqual(["down authentik", "down forgejo", "down broken", "down authentik", "down broken", "down broken"]);
  });
});
