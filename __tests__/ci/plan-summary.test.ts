import { spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { dataLosses, deployOrder, hasChanges, readSummaries, renderDataLosses, renderSummary, summarizePlan } from "../../scripts/plan-summary";
import { repoRoot } from "../helpers/synth";
import replacePlan from "./fixtures/plan-replace.json";
import noopPlan from "./fixtures/plan-noop.json";

describe("the data guard", () => {
  const change = (address: string, actions: string[]) => ({ address, change: { actions } });
  test("a deleted or replaced volume, generated password or server is a loss; forgetting, updating or replacing a container is not", () => {
    const plan = {
      resource_changes: [
        change("docker_volume.service-old_volume-data_5E6F7A8B", ["delete"]),
        change("random_password.postgres-role-forgejo_1A2B", ["delete", "create"]),
        change("hcloud_server.kscloud1_server_3C4D", ["create", "delete"]),
        change("random_bytes.authentik-secret-key_5E6F", ["forget"]),
        change("docker_volume.service-grafana_volume-data_7A8B", ["update"]),
        change("docker_container.service-grafana_main_container_2889FE48", ["delete", "create"]),
        change("docker_image.portal_image_1234", ["delete"]),
      ],
    };
    expect(dataLosses("kscloud1-docker", plan)).toEqual([
      { stack: "kscloud1-docker", address: "docker_volume.service-old_volume-data_5E6F7A8B", action: "deleted" },
      { stack: "kscloud1-docker", address: "random_password.postgres-role-forgejo_1A2B", action: "replaced" },
      { stack: "kscloud1-docker", address: "hcloud_server.kscloud1_server_3C4D", action: "replaced" },
    ]);
    expect(dataLosses("edge", noopPlan)).toEqual([]);
  });

  test("the message names every address and the fixes (retired, formerNames, the on-purpose procedure)", () => {
    const text = renderDataLosses(dataLosses("monk-docker", replacePlan));
    expect(text).toMatch(/^data guard: this plan would lose data; nothing was applied \(1 resource\):/);
    expect(text).toContain("monk-docker: docker_volume.service-old_volume-data_5E6F7A8B would be deleted");
    for (const fix of ["`retired`", "`formerNames`", "state rm", "docs/backups.md"]) expect(text).toContain(fix);
  });

  test("the PR summary carries the same warning; the CLI exits 1 on a loss and 0 otherwise", () => {
    const md = renderSummary([summarizePlan("monk-docker", replacePlan)]);
    expect(md).toContain("> **Data would be lost; the deploy's data guard refuses this plan:**");
    expect(md).toContain("> - `monk-docker`: `docker_volume.service-old_volume-data_5E6F7A8B` would be deleted");
    const tsx = join(repoRoot, "node_modules/.bin/tsx");
    const loss = spawnSync(tsx, ["scripts/plan-summary.ts", "guard", join(__dirname, "fixtures/plan-replace.json"), "monk-docker"], { cwd: repoRoot, encoding: "utf8" });
    expect({ status: loss.status, stderr: loss.stderr }).toEqual({ status: 1, stderr: expect.stringContaining("would be deleted") });
    const fine = spawnSync(tsx, ["scripts/plan-summary.ts", "guard", join(__dirname, "fixtures/plan-noop.json"), "edge"], { cwd: repoRoot, encoding: "utf8" });
    expect({ status: fine.status, stderr: fine.stderr }).toEqual({ status: 0, stderr: "" });
  });
});

describe("plan summary", () => {
  test("counts adds, changes and destroys; a replacement is an add and a destroy", () => {
    const s = summarizePlan("monk-docker", replacePlan);
    expect([s.add, s.change, s.destroy]).toEqual([2, 1, 2]);
    expect(s.replaced).toEqual(["docker_container.service-grafana_main_container_2889FE48"]);
    expect(hasChanges(s)).toBe(true);
    expect(hasChanges(summarizePlan("edge", noopPlan))).toBe(false);
  });

  test("renders a table per stack with destroys highlighted and listed", () => {
    const md = renderSummary([summarizePlan("edge", noopPlan), summarizePlan("monk-docker", replacePlan)], "Plan for #12");
    expect(md).toMatch(/^## Plan for #12\n/);
    expect(md).toContain("> **2 resources will be destroyed.**");
    expect(md).toContain("| `edge` | 0 | 0 | 0 |");
    expect(md).toContain("| `monk-docker` | 2 | 1 | ⚠️ **2** |");
    expect(md).toContain("<summary>⚠️ Destroyed (1)</summary>\n\n- `docker_volume.service-old_volume-data_5E6F7A8B`");
    expect(md).toContain("<summary>⚠️ Replaced (destroyed, then created) (1)</summary>");
    expect(md).toContain("<summary>Created (1)</summary>\n\n- `docker_container.service-new_main_container_9C0D1E2F`");
    expect(md).not.toContain("No changes");
  });

  test("a plan without changes says so; a failed plan is flagged with its log", () => {
    expect(renderSummary([summarizePlan("edge", noopPlan)])).toContain("No changes: the infrastructure matches the configuration.");
    const dir = mkdtempSync(join(tmpdir(), "kite-plans-"));
    try {
      copyFileSync(join(__dirname, "fixtures/plan-noop.json"), join(dir, "edge.json"));
      writeFileSync(join(dir, "monk-docker.error"), "Error: Unable to read remote state\n");
      const md = renderSummary(readSummaries(dir, ["edge", "monk-docker"]));
      expect(md).toContain("| `monk-docker` | – | – | ❌ plan failed |");
      expect(md).toContain("### `monk-docker`: plan failed\n\n```\nError: Unable to read remote state\n```");
      expect(md).toContain("> Plan failed for: `monk-docker`.");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("deploy order follows the manifest's dependencies", () => {
    const manifest = {
      stacks: {
        edge: { dependencies: [] },
        "kscloud1-docker": { dependencies: ["edge", "kscloud1-vm"] },
        "kscloud1-vm": { dependencies: [] },
        "monk-docker": { dependencies: ["edge", "kscloud1-docker"] },
      },
    };
    expect(deployOrder(manifest)).toEqual(["edge", "kscloud1-vm", "kscloud1-docker", "monk-docker"]);
    expect(() => deployOrder({ stacks: { a: { dependencies: ["b"] }, b: { dependencies: ["a"] } } })).toThrow(/cycle: a -> b -> a/);
  });

  test("the CLI renders a plans folder as CI calls it", () => {
    const dir = mkdtempSync(join(tmpdir(), "kite-plans-"));
    try {
      copyFileSync(join(__dirname, "fixtures/plan-replace.json"), join(dir, "monk-docker.json"));
      writeFileSync(join(dir, "order"), "monk-docker\n");
      const run = spawnSync(join(repoRoot, "node_modules/.bin/tsx"), ["scripts/plan-summary.ts", "render", dir, "Drift"], { cwd: repoRoot, encoding: "utf8" });
      expect(run.status).toBe(0);
      expect(run.stdout).toMatch(/^## Drift\n/);
      expect(run.stdout).toContain("| `monk-docker` | 2 | 1 | ⚠️ **2** |");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
