import { spawnSync } from "node:child_process";
import { kitestacks } from "../../homelab/homelab";
import { BusyboxEngine, haveDockerAndBusybox, startBusyboxEngine } from "../helpers/busybox-engine";
import { resourcesOf, synthHomelab } from "../helpers/synth";

/**
 * The pids limit every container gets (constructs/pids-limit.ts), on a real Docker engine of the
 * test's own: the synthesized `terraform_data` command is run as Terraform's local-exec runs it
 * (sh -c, its environment, DOCKER_HOST pointed at this engine), then a fork bomb inside the
 * container stops at the limit while a sibling container and the host keep forking. A container
 * without the step forks past the same count, so the check can fail.
 */
const lab = synthHomelab(kitestacks);
const stacks = [...lab.stacks.hosts.values()].map((s) => lab.json(s));
/** Each `docker update --pids-limit` step, its container reference resolved to the name. */
const limits = stacks.flatMap((j) => {
  const containers = resourcesOf(j, "docker_container");
  return Object.values(resourcesOf(j, "terraform_data"))
    .map((r) => r.provisioner?.[0]?.["local-exec"])
    .filter((p) => p && /^docker update --pids-limit /.test(p.command))
    .map((p) => ({ ...p, command: (p.command as string).replace(/\$\{docker_container\.([^.]+)\.name\}/, (_, id) => containers[id].name) }));
});
const metricsStep = limits.find((p) => / metrics >\/dev\/null$/.test(p.command))!;
const metricsLimit = Number(/--pids-limit (\d+)/.exec(metricsStep?.command ?? "")?.[1]);

describe("pids limits on a real Docker engine", () => {
  let engine: BusyboxEngine;
  let env: NodeJS.ProcessEnv;
  const docker = (...args: string[]) => engine.docker(...args);
  const pidsOf = (name: string) => Number(docker("stats", "--no-stream", "--format", "{{.PIDs}}", name).stdout.trim());
  /** Starts `count` background sleeps in the container; the shell's stderr says where fork failed. */
  const forkBomb = (name: string, count: number) =>
    docker("exec", name, "sh", "-c", `i=0; while [ $i -lt ${count} ]; do sleep 600 & i=$((i+1)); done; echo started $i`);

  beforeAll(async () => {
    expect(haveDockerAndBusybox()).toBe(true);
    engine = await startBusyboxEngine({ prefix: "kss2-pids-", image: "kss2-busybox:1", applets: ["sh", "sleep", "true"] });
    env = engine.env;
  }, 120_000);

  afterAll(() => engine?.stop());

  test("every container of every host stack gets one, from the spec", () => {
    const containers = stacks.flatMap((j) => Object.values(resourcesOf(j, "docker_container")));
    const limited = new Set(limits.map((p) => / (\S+) >\/dev\/null$/.exec(p.command)![1]));
    for (const c of containers) expect([c.name, limited.has(c.name)]).toEqual([c.name, true]);
    expect(metricsLimit).toBe(kitestacks.services.find((s) => s.name === "metrics")!.pidsLimit);
  });

  test("a fork bomb stops at the limit; a sibling container and the host are unaffected; the limit survives a restart", () => {
    expect(docker("run", "-d", "--name", "metrics", "--network", "none", "kss2-busybox:1", "sleep", "3600").status).toBe(0);
    expect(docker("run", "-d", "--name", "kss2-sibling", "--network", "none", "kss2-busybox:1", "sleep", "3600").status).toBe(0);
    // The synthesized step, as Terraform's local-exec runs it.
    const apply = spawnSync("/bin/sh", ["-c", metricsStep.command], { env: { ...process.env, ...metricsStep.environment, DOCKER_HOST: env.DOCKER_HOST }, encoding: "utf8" });
    expect({ status: apply.status, stderr: apply.stderr }).toEqual({ status: 0, stderr: "" });
    expect(docker("inspect", "-f", "{{.HostConfig.PidsLimit}}", "metrics").stdout.trim()).toBe(String(metricsLimit));

    const bomb = forkBomb("metrics", metricsLimit * 3);
    expect(bomb.stderr).toContain("can't fork");
    expect(pidsOf("metrics")).toBeLessThanOrEqual(metricsLimit);
    expect(pidsOf("metrics")).toBeGreaterThan(metricsLimit - 5);

    // The sibling (no limit applied here) forks freely past that count: the bound is the container's.
    const sibling = forkBomb("kss2-sibling", metricsLimit * 2);
    expect({ status: sibling.status, stdout: sibling.stdout.trim(), stderr: sibling.stderr }).toEqual({ status: 0, stdout: `started ${metricsLimit * 2}`, stderr: "" });
    expect(pidsOf("kss2-sibling")).toBeGreaterThan(metricsLimit * 2);
    const host = spawnSync("sh", ["-c", "for i in $(seq 50); do sleep 0.2 & done; wait; echo ok"], { encoding: "utf8" });
    expect(host.stdout.trim()).toBe("ok");

    // Docker keeps the limit in the container's config: a restart comes back bounded.
    expect(docker("restart", "-t", "0", "metrics").status).toBe(0);
    expect(docker("inspect", "-f", "{{.HostConfig.PidsLimit}}", "metrics").stdout.trim()).toBe(String(metricsLimit));
    expect(forkBomb("metrics", metricsLimit * 3).stderr).toContain("can't fork");
    expect(pidsOf("metrics")).toBeLessThanOrEqual(metricsLimit);
  }, 180_000);
});
