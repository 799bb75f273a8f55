import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { TerraformStack } from "cdktf";
import { parse } from "yaml";
import { goodSpec } from "../fixtures/specs";
import { repoRoot, synthHomelab } from "../helpers/synth";

const DIRS = [".github/workflows", ".forgejo/workflows"];
const files = DIRS.flatMap((dir) => readdirSync(join(repoRoot, dir)).filter((f) => f.endsWith(".yml")).map((f) => join(dir, f)));
const load = (file: string) => ({ file, text: readFileSync(join(repoRoot, file), "utf8"), doc: parse(readFileSync(join(repoRoot, file), "utf8")) as any });
const workflows = files.map(load);
const scripts = Object.keys(JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8")).scripts);

/** Every shell line of every step. */
const runLines = (doc: any): string[] =>
  Object.values(doc.jobs as Record<string, any>).flatMap((job) => (job.steps as any[]).flatMap((s) => (typeof s.run === "string" ? s.run.split("\n") : [])));

describe("CI workflows", () => {
  test("both forges have the pull-request, drift and deploy workflows", () => {
    for (const dir of DIRS) expect(readdirSync(join(repoRoot, dir)).sort()).toEqual(["deploy.yml", "drift.yml", "pull-request.yml"]);
  });

  test.each(files)("%s parses and every job has steps", (file) => {
    const { doc } = load(file);
    expect(doc.name).toEqual(expect.any(String));
    for (const job of Object.values(doc.jobs as Record<string, any>)) expect(job.steps.length).toBeGreaterThan(0);
  });

  test.each(files)("%s calls only npm scripts and repo scripts that exist", (file) => {
    const lines = runLines(load(file).doc);
    const npmRuns = lines.flatMap((l) => [...l.matchAll(/npm run (?:--silent )?([\w:-]+)/g)].map((m) => m[1]));
    expect(npmRuns.length).toBeGreaterThan(0);
    for (const name of npmRuns) expect([name, scripts.includes(name)]).toEqual([name, true]);
    for (const path of lines.flatMap((l) => [...l.matchAll(/(scripts\/[\w./-]+\.(?:ts|sh))/g)].map((m) => m[1]))) {
      expect([path, existsSync(join(repoRoot, path))]).toEqual([path, true]);
    }
  });

  test.each(files)("%s supplies every variable the stacks declare, from the secret store only", (file) => {
    const { doc } = load(file);
    const lab = synthHomelab(goodSpec);
    const declared = new Set(
      lab.app.node
        .findAll()
        .filter(TerraformStack.isStack)
        .flatMap((s) => Object.keys(lab.json(s).variable ?? {})),
    );
    const env = doc.env as Record<string, string>;
    for (const name of declared) expect([name, env[`TF_VAR_${name}`]]).toEqual([name, `\${{ secrets.TF_VAR_${name.toUpperCase()} }}`]);
    for (const [key, value] of Object.entries(env)) {
      if (/^(TF_VAR_|AWS_|KITESTACKS_STATE_(BUCKET|ENDPOINT))/.test(key)) expect([key, value]).toEqual([key, expect.stringMatching(/^\$\{\{ secrets\.[A-Z0-9_]+ \}\}$/)]);
    }
  });

  test("pull requests: npm ci, npm test, a plan of every stack and a comment with the summary", () => {
    for (const dir of DIRS) {
      const { doc } = load(`${dir}/pull-request.yml`);
      expect(doc.on.pull_request).toBeDefined();
      const lines = runLines(doc).join("\n");
      for (const step of ["npm ci", "npm test", "npm run synth", "scripts/ci-plan.sh plans", "plan-summary -- render plans", "scripts/forge-api.ts comment"]) expect(lines).toContain(step);
    }
  });

  test("drift: daily schedule, plans with -detailed-exitcode, an issue when the diff is not empty", () => {
    expect(readFileSync(join(repoRoot, "scripts/ci-plan.sh"), "utf8")).toContain("-detailed-exitcode");
    for (const dir of DIRS) {
      const { doc } = load(`${dir}/drift.yml`);
      expect(doc.on.schedule[0].cron).toMatch(/^\d+ \d+ \* \* \*$/);
      const report = Object.values(doc.jobs as Record<string, any>)[0].steps.find((s: any) => s.name === "Report drift");
      expect(report.if).toBe("steps.plan.outputs.exit != '0'");
      expect(report.run).toContain("scripts/forge-api.ts issue");
      expect(report.run.trim().endsWith("exit 1")).toBe(true);
    }
  });

  test("deploy: main only, behind an approval (GitHub environment; Forgejo manual dispatch with confirmation)", () => {
    const gh = load(".github/workflows/deploy.yml").doc;
    expect(gh.jobs.deploy.environment).toBe("production");
    expect(gh.jobs.deploy.if).toContain("refs/heads/main");
    const fj = load(".forgejo/workflows/deploy.yml").doc;
    expect(Object.keys(fj.on)).toEqual(["workflow_dispatch"]);
    expect(fj.jobs.deploy.if).toBe("github.ref == 'refs/heads/main' && inputs.confirm == 'deploy'");
    for (const doc of [gh, fj]) {
      const lines = runLines(doc).join("\n");
      expect(lines.indexOf("npm run doctor")).toBeLessThan(lines.indexOf("cdktf deploy"));
    }
  });

  test("the runner joins the tailnet with an ephemeral key from the secret store", () => {
    for (const { doc } of workflows) {
      const steps = Object.values(doc.jobs as Record<string, any>)[0].steps as any[];
      const tailscale = steps.find((s) => String(s.uses ?? "").includes("tailscale/github-action"));
      expect(tailscale.with.authkey).toBe("${{ secrets.TS_CI_AUTHKEY }}");
    }
  });
});
