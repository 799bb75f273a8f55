import { spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { deployOrder, hasChanges, readSummaries, renderSummary, summarizePlan } from "../../scripts/plan-summary";
import { repoRoot } from "../helpers/synth";
import replacePlan from "./fixtures/plan-replace.json";
import noopPlan from "./fixtures/plan-noop.json";

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
