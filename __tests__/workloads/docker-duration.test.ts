/**
 * Healthcheck durations in the form the Docker provider reads back (constructs/docker-duration.ts),
 * checked against Go itself: time.ParseDuration then Duration.String(), what the provider does.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { dockerDuration, parseGoDuration } from "../../constructs/docker-duration";
import { kitestacks } from "../../homelab/homelab";
import { resourcesOf, synthHomelab } from "../helpers/synth";

const SAMPLES = ["0", "0s", "30s", "60s", "90s", "1m", "1m30s", "5m", "3600s", "1h", "1h30m", "2h0m5s", "1.5s", "250ms", "1500ms", "0.5s", "100us", "100µs", "10ns", "1m0.25s", "61.5s", "1.5h"];

function goCanonical(values: readonly string[]): string[] {
  const go = ["go", "/usr/local/go/bin/go"].find((g) => spawnSync(g, ["version"]).status === 0);
  if (!go) throw new Error("no Go toolchain: .ci/run installs golang-go when none is there");
  const dir = mkdtempSync(join(tmpdir(), "kse2-duration-"));
  try {
    writeFileSync(
      join(dir, "main.go"),
      'package main\n\nimport (\n\t"bufio"\n\t"fmt"\n\t"os"\n\t"time"\n)\n\nfunc main() {\n\ts := bufio.NewScanner(os.Stdin)\n\tfor s.Scan() {\n\t\td, err := time.ParseDuration(s.Text())\n\t\tif err != nil {\n\t\t\tfmt.Println("ERR")\n\t\t\tcontinue\n\t\t}\n\t\tfmt.Println(d.String())\n\t}\n}\n',
    );
    const r = spawnSync(go, ["run", "main.go"], { cwd: dir, input: values.join("\n") + "\n", encoding: "utf8", env: { ...process.env, GOFLAGS: "", GO111MODULE: "off" } });
    if (r.status !== 0) throw new Error(`go run failed: ${r.stderr}`);
    return r.stdout.trim().split("\n");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe("dockerDuration", () => {
  it("writes what Go's time.Duration.String() reads back, for every sample", () => {
    const expected = goCanonical(SAMPLES);
    expect(SAMPLES.map((s) => [s, dockerDuration(s, "t")])).toEqual(SAMPLES.map((s, i) => [s, expected[i]]));
  }, 120_000);

  it("refuses what Go refuses, naming the field and the value", () => {
    for (const bad of ["", "30", "1d", "s", "1 m", "-5s"]) expect(parseGoDuration(bad)).toBeUndefined();
    expect(() => dockerDuration("1d", "grafana healthcheck.interval")).toThrow('grafana healthcheck.interval: "1d" is not a duration');
  });

  it("every healthcheck duration in the host stacks is already canonical (no diff on the second plan)", () => {
    const homelab = synthHomelab(kitestacks);
    let seen = 0;
    for (const stack of homelab.stacks.hosts.values()) {
      for (const [id, c] of Object.entries(resourcesOf(homelab.json(stack), "docker_container"))) {
        const hc = c.healthcheck as Record<string, unknown> | undefined;
        for (const key of ["interval", "timeout", "start_period", "start_interval"]) {
          const v = hc?.[key];
          if (typeof v !== "string") continue;
          expect([id, key, v]).toEqual([id, key, dockerDuration(v, id)]);
          seen++;
        }
      }
    }
    expect(seen).toBeGreaterThan(0);
  });
});
