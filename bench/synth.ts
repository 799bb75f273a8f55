/**
 * Synth benchmark (`npm run bench:synth [-- --runs 5 --ref HEAD]`): how long the whole app takes to
 * synthesize and how much memory it needs, beside the same stacks run the way the cdktf
 * TypeScript template does by default (`npx ts-node main.ts`, provider barrel imports), plus
 * how synth time grows with the number of services.
 *
 * Both sides run from a snapshot of one commit (`--ref`, default HEAD; see
 * bench/baseline/make-baseline.ts), and the benchmark checks that they write the same
 * Terraform. Wall time is measured around each process; peak RSS is GNU time's "maximum
 * resident set size": the largest single process of the run (for `cdktf synth`, the CLI or the
 * app, whichever is bigger).
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";
import { makeBaseline, snapshotCommit, TEMPLATE_APP } from "./baseline/make-baseline";

const repoRoot = resolve(__dirname, "..");
const GNU_TIME = "/usr/bin/time";
const SCALE = 10;

interface Sample {
  readonly ms: number;
  readonly rssMb: number;
}

interface Scenario {
  readonly label: string;
  readonly runner: string;
  readonly cwd: string;
  readonly command: string[];
  readonly env?: Record<string, string>;
  /** Where the run writes; passed as CDKTF_OUTDIR or --output. */
  readonly outdir: (run: number) => string;
  readonly samples: Sample[];
}

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const value = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name}: ${process.argv[i + 1]} is not a positive integer`);
  return value;
}

/** Runs one command under GNU time; fails loudly when the command does. */
function measure(s: Scenario, run: number): Sample {
  const timeFile = join(tmpdir(), `kitestacks-bench-time-${process.pid}`);
  const outdir = s.outdir(run);
  rmSync(outdir, { recursive: true, force: true });
  const env = {
    ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(KITESTACKS_|CDKTF_)/.test(k))),
    CHECKPOINT_DISABLE: "1",
    CDKTF_OUTDIR: outdir,
    ...s.env,
  };
  const started = process.hrtime.bigint();
  const result = spawnSync(GNU_TIME, ["-f", "%M", "-o", timeFile, ...s.command], { cwd: s.cwd, env, encoding: "utf8", maxBuffer: 64 << 20 });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0 || !existsSync(join(outdir, "manifest.json"))) {
    throw new Error(`${s.label} (${s.command.join(" ")}) failed with exit ${result.status}:\n${result.stderr}${result.stdout}`);
  }
  const rssKb = Number(readFileSync(timeFile, "utf8").trim().split("\n").pop());
  return { ms, rssMb: rssKb / 1024 };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};
const stat = (s: Scenario) => ({ ms: median(s.samples.map((x) => x.ms)), min: Math.min(...s.samples.map((x) => x.ms)), rssMb: median(s.samples.map((x) => x.rssMb)) });

/** cdk.tf.json and manifest.json of an outdir, with the snapshot's own path replaced. */
function outputOf(outdir: string, snapshot: string): Map<string, string> {
  const files = readdirSync(outdir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile() && e.name.endsWith(".json"));
  return new Map(files.map((e) => [relative(outdir, join(e.parentPath, e.name)), readFileSync(join(e.parentPath, e.name), "utf8").split(snapshot).join("<app>")]));
}

function main(): void {
  const runs = option("runs", 5);
  const refAt = process.argv.indexOf("--ref");
  const ref = refAt >= 0 ? process.argv[refAt + 1] : "HEAD";
  if (!existsSync(GNU_TIME)) throw new Error(`${GNU_TIME} is missing: apt-get install -y time`);
  const work = mkdtempSync(join(tmpdir(), "kitestacks-bench-"));
  try {
    const ours = join(work, "ours");
    const commit = snapshotCommit(repoRoot, ours, ref);
    const baseline = makeBaseline(ours, join(work, "baseline"));
    mkdirSync(join(work, "out"));
    const out = (name: string) => (run: number) => join(work, "out", `${name}-${run}`);
    const cdktf = (dir: string) => [join(dir, "node_modules/.bin/cdktf"), "synth", "--output"];

    const scenarios: Scenario[] = [
      { label: "app alone, ours", runner: "tsx main.ts, deep imports", cwd: ours, command: ["node_modules/.bin/tsx", "main.ts"], outdir: out("app-ours"), samples: [] },
      {
        label: "app alone, template",
        runner: "ts-node main.ts, barrel imports",
        cwd: baseline.dir,
        command: ["node_modules/.bin/ts-node", "main.ts"],
        outdir: out("app-template"),
        samples: [],
      },
      { label: "cdktf synth, ours", runner: "cdktf.json app: tsx", cwd: ours, command: cdktf(ours), outdir: out("cli-ours"), samples: [] },
      { label: "cdktf synth, template", runner: `cdktf.json app: ${TEMPLATE_APP}`, cwd: baseline.dir, command: cdktf(baseline.dir), outdir: out("cli-template"), samples: [] },
      ...[1, SCALE].map<Scenario>((scale) => ({
        label: `app alone, ${scale}x services`,
        runner: "tsx main.ts, scaled spec",
        cwd: ours,
        command: ["node_modules/.bin/tsx", "main.ts"],
        env: { KITESTACKS_SPEC: "bench/scaled-spec.ts", KITESTACKS_BENCH_SCALE: String(scale) },
        outdir: out(`scale-${scale}`),
        samples: [],
      })),
    ];
    // `cdktf synth --output <dir>`: the CLI sets CDKTF_OUTDIR for the app itself.
    const commandFor = (s: Scenario, run: number) => (s.command.includes("synth") ? [...s.command, s.outdir(run)] : s.command);

    process.stderr.write(`snapshots in ${work}; baseline: ${baseline.rewrittenFiles} files, ${baseline.barrelImports} barrel imports\n`);
    // One warm-up each (tsx's transform cache, the OS file cache), then the runs interleaved so
    // background load on this shared machine hits every scenario alike.
    for (let run = 0; run <= runs; run++) {
      for (const s of scenarios) {
        const sample = measure({ ...s, command: commandFor(s, run) }, run);
        if (run > 0) s.samples.push(sample);
        process.stderr.write(`  run ${run}${run === 0 ? " (warm-up)" : ""}: ${s.label}: ${sample.ms.toFixed(0)} ms, ${sample.rssMb.toFixed(0)} MB\n`);
      }
    }

    // Same stacks on both sides: the template run must write the very same Terraform.
    const same = (a: Scenario, b: Scenario) => {
      const x = outputOf(a.outdir(1), a.cwd);
      const y = outputOf(b.outdir(1), b.cwd);
      return x.size > 0 && x.size === y.size && [...x].every(([f, text]) => y.get(f) === text);
    };
    const [appOurs, appTemplate, cliOurs, cliTemplate, scale1, scaleN] = scenarios;
    const identical = same(appOurs, appTemplate) && same(cliOurs, cliTemplate);
    const n1 = serviceCount(ours, 1);
    const nN = serviceCount(ours, SCALE);
    const perService = (stat(scaleN).ms - stat(scale1).ms) / (nN - n1);

    const rows: string[][] = [["scenario", "runner", "median ms", "min ms", "peak RSS MB"]];
    const row = (s: Scenario) => {
      const t = stat(s);
      rows.push([s.label, s.runner, t.ms.toFixed(0), t.min.toFixed(0), t.rssMb.toFixed(0)]);
    };
    const ratio = (label: string, base: Scenario, ours: Scenario) => {
      const b = stat(base);
      const o = stat(ours);
      rows.push([label, "baseline / ours", `${(b.ms / o.ms).toFixed(2)}x`, `${(b.min / o.min).toFixed(2)}x`, `${(b.rssMb / o.rssMb).toFixed(2)}x`]);
    };
    row(appOurs);
    row(appTemplate);
    ratio("  ratio", appTemplate, appOurs);
    row(cliOurs);
    row(cliTemplate);
    ratio("  ratio", cliTemplate, cliOurs);
    row({ ...scale1, label: `${scale1.label} (${n1})` });
    row({ ...scaleN, label: `${scaleN.label} (${nN})` });
    rows.push(["  growth", `${nN - n1} more services`, `${perService.toFixed(1)} ms/service`, "", `${((stat(scaleN).rssMb - stat(scale1).rssMb) / (nN - n1)).toFixed(2)} MB/service`]);

    const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
    const line = (r: string[]) => r.map((cell, c) => (c >= 2 ? cell.padStart(widths[c]) : cell.padEnd(widths[c]))).join("  ");
    console.log(`KiteStacks synth benchmark: ${runs} runs per scenario after one warm-up, interleaved`);
    console.log(`node ${process.version}, ${cpus().length} cores, commit ${commit}, ${new Date().toISOString()}`);
    console.log(line(rows[0]));
    console.log(widths.map((w) => "-".repeat(w)).join("  "));
    rows.slice(1).forEach((r) => console.log(line(r)));
    console.log(`template baseline writes the same Terraform as ours: ${identical ? "yes" : "NO"}`);

    mkdirSync(join(repoRoot, "bench", "results"), { recursive: true });
    writeFileSync(
      join(repoRoot, "bench", "results", "synth.json"),
      JSON.stringify({ date: new Date().toISOString(), commit, node: process.version, runs, identical, perServiceMs: perService, scenarios: scenarios.map((s) => ({ label: s.label, runner: s.runner, ...stat(s), samples: s.samples })) }, null, 2),
    );
    if (!identical) process.exitCode = 1;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** Services in the snapshot's spec scaled `scale` times. */
function serviceCount(snapshot: string, scale: number): number {
  const result = spawnSync(
    join(snapshot, "node_modules/.bin/tsx"),
    ["-e", 'console.log(require("./bench/scaled-spec").spec.services.length)'],
    { cwd: snapshot, encoding: "utf8", env: { ...process.env, KITESTACKS_BENCH_SCALE: String(scale) } },
  );
  const n = Number(result.stdout.trim());
  if (!Number.isInteger(n) || n < 1) throw new Error(`could not count the scaled spec's services: ${result.stderr}`);
  return n;
}

main();
