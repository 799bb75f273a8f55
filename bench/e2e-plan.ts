/**
 * `npm run bench:e2e [-- --runs 5 --applies 1 --stack kscloud1-docker]`: what a deploy costs on
 * the two simulated hosts of the e2e harness (e2e/harness/homelab-lab.ts), beside Docker
 * Compose doing the same on the same containers.
 *
 *   no-change plan     `terraform plan` of one host stack right after its apply (nothing to do),
 *                      against `docker-compose up -d` with nothing to do on the same containers
 *   first apply        `terraform apply` of that stack on an empty engine (images present:
 *                      pinned ones imported, built ones in the build cache; post-start steps
 *                      run), against `docker-compose up -d` creating the same containers,
 *                      volumes and network (no post-start steps: compose has none)
 *
 * Both tools reach the host's engine the same way, `ssh://deploy@<host>` from the deployer.
 * The compose file is written from the applied state (e2e/harness/compose.ts). Debian's
 * docker-compose (1.29, `apt-get install docker-compose python3-paramiko`) runs it. Medians; the first sample
 * of each no-change series is a warm-up and not counted. Needs root, like `npm run test:e2e`.
 */
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { which } from "../scripts/terraform-toolchain";
import { composeFromState } from "../e2e/harness/compose";
import { bringUpHomelab, HomelabLab } from "../e2e/harness/homelab-lab";
import { RunResult } from "../e2e/harness/run";

const MANAGED = "org.kitestacks.managed-by=kitestacks-iac";

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
}
const count = (name: string, fallback: number) => {
  const v = Number(option(name, String(fallback)));
  if (!Number.isInteger(v) || v < 1) throw new Error(`--${name}: ${option(name, "")} is not a positive integer`);
  return v;
};
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};

async function seconds(fn: () => Promise<RunResult>): Promise<{ s: number; r: RunResult }> {
  const t0 = process.hrtime.bigint();
  const r = await fn();
  return { s: Number(process.hrtime.bigint() - t0) / 1e9, r };
}

async function main(): Promise<void> {
  const runs = count("runs", 5);
  const applies = count("applies", 1);
  const compose = which("docker-compose");
  if (!compose) throw new Error("docker-compose not found. Fix: apt-get install -y docker-compose python3-paramiko (Debian's packages)");
  // docker-compose 1.29 reaches ssh:// hosts through docker-py, which needs paramiko even when it shells out to ssh.
  const interpreter = /^#!\s*(\S+)/.exec(readFileSync(compose, "utf8").split("\n")[0])?.[1] ?? "/usr/bin/python3";
  if (spawnSync(interpreter, ["-c", "import paramiko"]).status !== 0) throw new Error("python3-paramiko is missing (docker-compose's ssh:// transport). Fix: apt-get install -y python3-paramiko");
  const h: HomelabLab = await bringUpHomelab({ echo: false });
  try {
    const name = option("stack", h.hostStacks[0].stack.name);
    const target = h.hostStacks.find((x) => x.stack.name === name);
    if (!target) throw new Error(`--stack ${name}: not a host stack (${h.hostStacks.map((x) => x.stack.name).join(", ")})`);
    const { stack, host } = target;
    const dockerHost = stack.json.provider?.docker?.[0]?.host as string;

    /** Everything the stack made on the host, gone; its state too (images stay). */
    const reset = async () => {
      await host.sh(`ids=$(docker ps -aq --filter label=${MANAGED}); [ -z "$ids" ] || docker rm -f $ids >/dev/null`);
      await host.sh(`docker volume ls -q --filter label=${MANAGED} | xargs -r docker volume rm >/dev/null`);
      for (const n of Object.values((stack.json.resource?.docker_network ?? {}) as Record<string, { name: string }>)) await host.docker(["network", "rm", n.name], { allowFailure: true });
      await h.lab.deployer.exec(["rm", "-f", h.statePath(stack)]);
    };

    await h.terraform(stack, ["init", "-input=false", "-no-color"]);
    const tfApply: number[] = [];
    for (let i = 0; i < applies; i++) {
      if (i > 0) await reset();
      const { s } = await seconds(() => h.terraform(stack, ["apply", "-auto-approve", "-input=false", "-no-color"]));
      tfApply.push(s);
      process.stderr.write(`[bench] terraform apply (first) ${stack.name}: ${s.toFixed(1)} s\n`);
    }
    const tfPlan: number[] = [];
    for (let i = 0; i <= runs; i++) {
      const { s, r } = await seconds(() => h.terraform(stack, ["plan", "-detailed-exitcode", "-input=false", "-no-color", "-lock=false"], true));
      if (r.code !== 0) throw new Error(`${stack.name}: the plan after apply is not empty (exit ${r.code}):\n${r.stdout.slice(-3000)}`);
      if (i > 0) tfPlan.push(s);
      process.stderr.write(`[bench] terraform plan (no change)${i === 0 ? " warm-up" : ""}: ${s.toFixed(1)} s\n`);
    }

    // The same containers under compose: a file from the applied state, then an empty engine.
    const state = JSON.parse(readFileSync(h.statePath(stack), "utf8"));
    const project = composeFromState(stack, state, join(host.dir, "compose-files"));
    const file = join(host.dir, "docker-compose.yml");
    writeFileSync(file, project.text);
    await reset();
    const dc = (args: string[]) => h.lab.deployer.exec([compose, "-H", dockerHost, "-p", "kitestacks", "-f", file, ...args], { allowFailure: true });
    const dcApply: number[] = [];
    for (let i = 0; i < applies; i++) {
      if (i > 0) await dc(["down", "-v"]);
      const { s, r } = await seconds(() => dc(["up", "-d", "--no-build"]));
      if (r.code !== 0) throw new Error(`docker-compose up -d failed (exit ${r.code}):\n${r.stderr.slice(-3000)}`);
      dcApply.push(s);
      process.stderr.write(`[bench] docker-compose up -d (first): ${s.toFixed(1)} s\n`);
    }
    const dcNoop: number[] = [];
    for (let i = 0; i <= runs; i++) {
      const { s, r } = await seconds(() => dc(["up", "-d", "--no-build"]));
      const upToDate = (r.stderr.match(/is up-to-date/g) ?? []).length;
      if (r.code !== 0 || upToDate !== project.containers.length) {
        throw new Error(`docker-compose up -d had something to do (exit ${r.code}, ${upToDate}/${project.containers.length} up-to-date):\n${r.stderr.slice(-3000)}`);
      }
      if (i > 0) dcNoop.push(s);
      process.stderr.write(`[bench] docker-compose up -d (nothing to do)${i === 0 ? " warm-up" : ""}: ${s.toFixed(1)} s\n`);
    }

    const rows: [string, number, string][] = [
      ["docker-compose up -d, nothing to do (baseline)", median(dcNoop), "1.00"],
      ["terraform plan, no change", median(tfPlan), (median(tfPlan) / median(dcNoop)).toFixed(2)],
      ["docker-compose up -d, first (baseline)", median(dcApply), "1.00"],
      ["terraform apply, first", median(tfApply), (median(tfApply) / median(dcApply)).toFixed(2)],
    ];
    console.log(
      `e2e deploy bench: ${stack.name} (${project.containers.length} containers, ${project.volumes.length} volumes) over ${dockerHost}; ` +
        `medians of ${runs} no-change runs (after a warm-up) and ${applies} first apply(s)`,
    );
    for (const [label, s, ratio] of rows) console.log(`  ${label.padEnd(50)} ${s.toFixed(1).padStart(7)} s   x${ratio}`);
  } finally {
    await h.destroy();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
