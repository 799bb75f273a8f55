import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { TerraformStack } from "cdktf";
import { parse } from "yaml";
import { goodSpec } from "../fixtures/specs";
import { repoRoot, synthHomelab } from "../helpers/synth";
import {
  credentialedJobProblems,
  events,
  jobSecrets,
  jobsOf,
  permissionProblems,
  runsPullRequestCode,
  untrustedSecretProblems,
  unpinnedActionProblems,
  Workflow,
} from "./workflow-rules";

const FORGES = { github: ".github/workflows", forgejo: ".forgejo/workflows" } as const;
type Forge = keyof typeof FORGES;
const DIRS = Object.values(FORGES);
const files = DIRS.flatMap((dir) => readdirSync(join(repoRoot, dir)).filter((f) => f.endsWith(".yml")).map((f) => join(dir, f)));
const load = (file: string): Workflow => {
  const text = readFileSync(join(repoRoot, file), "utf8");
  return { file, text, doc: parse(text) as any };
};
const forgeOf = (file: string): Forge => (file.startsWith(".github") ? "github" : "forgejo");
const workflows = files.map(load);
const scripts = Object.keys(JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8")).scripts);

const stepsOf = (doc: any): any[] => jobsOf(doc).flatMap(([, job]) => job.steps as any[]);
/** Every shell line of every step. */
const runLines = (doc: any): string[] => stepsOf(doc).flatMap((s) => (typeof s.run === "string" ? s.run.split("\n") : []));
const stepRunning = (job: any, text: string) => (job.steps as any[]).find((s) => String(s.run ?? "").includes(text));

/** The old single-job design: every credential in the env of a job that runs the PR's code. */
const leakyFixture: Workflow = {
  file: "fixture/pull-request.yml",
  text: "uses: actions/checkout@v4\n",
  doc: parse(`
on: { pull_request: { branches: [main] } }
env: { TF_VAR_hcloud_token: "\${{ secrets.TF_VAR_HCLOUD_TOKEN }}" }
jobs:
  test-and-plan:
    runs-on: ubuntu-24.04
    steps:
      - uses: actions/checkout@v4
      - run: npm ci
      - env: { DEPLOY_SSH_KEY: "\${{ secrets.DEPLOY_SSH_KEY }}" }
        run: printf '%s' "$DEPLOY_SSH_KEY" > key
`),
};

describe("CI workflows", () => {
  test("both forges have the pull-request, plan, drift and deploy workflows", () => {
    for (const dir of DIRS) expect(readdirSync(join(repoRoot, dir)).sort()).toEqual(["deploy.yml", "drift.yml", "plan.yml", "pull-request.yml"]);
  });

  test.each(files)("%s parses and every job has steps", (file) => {
    const { doc } = load(file);
    expect(doc.name).toEqual(expect.any(String));
    for (const [, job] of jobsOf(doc)) expect(job.steps.length).toBeGreaterThan(0);
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

  describe("secrets never reach a job that runs pull request code", () => {
    test.each(files)("%s", (file) => {
      expect(untrustedSecretProblems(load(file))).toEqual([]);
    });

    test("the rule catches the old design (credentials in a pull_request job)", () => {
      expect(untrustedSecretProblems(leakyFixture)).toEqual([
        "fixture/pull-request.yml: job test-and-plan runs pull request code and can read secrets.TF_VAR_HCLOUD_TOKEN",
        "fixture/pull-request.yml: job test-and-plan runs pull request code and can read secrets.DEPLOY_SSH_KEY",
      ]);
    });

    test("a dispatch that checks out a pull request's ref counts as pull request code", () => {
      const doc = parse(`
on: { workflow_dispatch: { inputs: { pr: { type: string } } } }
jobs:
  synth:
    steps:
      - uses: actions/checkout@0000000000000000000000000000000000000000
        with: { ref: "refs/pull/\${{ inputs.pr }}/head" }
      - run: npm test
        env: { X: "\${{ secrets.X }}" }
`);
      expect(runsPullRequestCode(doc, doc.jobs.synth)).toBe(true);
      expect(untrustedSecretProblems({ file: "f", text: "", doc })).toEqual(["f: job synth runs pull request code and can read secrets.X"]);
    });
  });

  describe("jobs holding credentials run only main's tooling, with secrets in the steps that need them", () => {
    test.each(files)("%s", (file) => {
      expect(credentialedJobProblems(load(file), forgeOf(file))).toEqual([]);
    });

    test("the rule catches secrets in workflow env, outside an environment, and next to npm ci", () => {
      const problems = credentialedJobProblems(leakyFixture, "github");
      expect(problems).toContain("fixture/pull-request.yml: secrets in the workflow's env reach every step of every job");
      expect(problems).toContain("fixture/pull-request.yml: job test-and-plan holds secrets outside an environment");
      expect(problems).toContain(`fixture/pull-request.yml: job test-and-plan runs "printf '%s' "$DEPLOY_SSH_KEY" > key" with secrets in its env`);
    });

    test("no job triggered by a pull request holds any secret, and no PR-triggered workflow references an environment", () => {
      for (const wf of workflows) {
        if (!events(wf.doc).some((e) => e.startsWith("pull_request"))) continue;
        for (const [, job] of jobsOf(wf.doc)) {
          expect([wf.file, jobSecrets(wf.doc, job)]).toEqual([wf.file, []]);
          expect([wf.file, job.environment]).toEqual([wf.file, undefined]);
        }
      }
    });
  });

  describe("every action is pinned by commit", () => {
    test.each(files)("%s", (file) => {
      expect(unpinnedActionProblems(load(file))).toEqual([]);
    });

    test("one SHA per action and release across all workflows", () => {
      const seen = new Map<string, string>();
      for (const wf of workflows) {
        for (const m of wf.text.matchAll(/uses:\s*(\S+)@([0-9a-f]{40}) # (v[\d.]+)/g)) {
          const key = `${m[1]} ${m[3]}`;
          expect([key, seen.get(key) ?? m[2]]).toEqual([key, m[2]]);
          seen.set(key, m[2]);
        }
      }
      expect(seen.size).toBeGreaterThanOrEqual(12);
    });

    test("the rule catches a tag and a SHA without its version comment", () => {
      const text = "steps:\n  - uses: actions/checkout@v4\n  - uses: actions/setup-node@49933ea5288caeca8642d1e84afbd3f7d6820020\n";
      expect(unpinnedActionProblems({ file: "f", text, doc: {} })).toEqual([
        "f: actions/checkout@v4 is not pinned to a full commit SHA",
        'f: actions/setup-node@49933ea5288caeca8642d1e84afbd3f7d6820020 has no "# vX.Y.Z" comment naming the pinned release',
      ]);
    });
  });

  describe("explicit permissions on every workflow and job", () => {
    test.each(files)("%s", (file) => {
      const wf = load(file);
      expect(permissionProblems(wf)).toEqual([]);
      expect(wf.doc.permissions).toEqual({});
    });

    test("the rule catches a workflow and a job without them", () => {
      expect(permissionProblems(leakyFixture)).toEqual(["fixture/pull-request.yml: no top-level permissions", "fixture/pull-request.yml: job test-and-plan has no permissions"]);
    });

    test("only the plan and drift jobs write (comments, issues); nothing asks for contents: write", () => {
      for (const wf of workflows) {
        for (const [id, job] of jobsOf(wf.doc)) {
          expect([wf.file, id, job.permissions.contents]).toEqual([wf.file, id, "read"]);
          const writes = Object.entries(job.permissions).filter(([, v]) => v === "write").map(([k]) => k).sort();
          const allowed = id === "plan" ? ["issues", "pull-requests"] : id === "drift" ? ["issues"] : [];
          expect([wf.file, id, writes]).toEqual([wf.file, id, allowed]);
        }
      }
    });
  });

  test.each(files)("%s: every credentialed Terraform step gets every variable the stacks declare, from the secret store", (file) => {
    const lab = synthHomelab(goodSpec);
    const declared = new Set(
      lab.app.node
        .findAll()
        .filter(TerraformStack.isStack)
        .flatMap((s) => Object.keys(lab.json(s).variable ?? {})),
    );
    const { doc } = load(file);
    const tfSteps = stepsOf(doc).filter((s) => /ci-plan\.sh|deploy\.sh|npm run doctor/.test(String(s.run ?? "")));
    if (events(doc).includes("pull_request")) expect(tfSteps).toEqual([]);
    else expect(tfSteps.length).toBeGreaterThan(0);
    for (const step of tfSteps) {
      for (const name of declared) expect([name, step.env[`TF_VAR_${name}`]]).toEqual([name, `\${{ secrets.TF_VAR_${name.toUpperCase()} }}`]);
      expect(step.env.AWS_ACCESS_KEY_ID).toBe("${{ secrets.AWS_ACCESS_KEY_ID }}");
    }
    // Where the state lives is configuration (repository variables), so secret-free jobs synthesize the same backend.
    expect(doc.env.KITESTACKS_STATE_BUCKET).toBe("${{ vars.KITESTACKS_STATE_BUCKET }}");
    expect(doc.env.KITESTACKS_STATE_ENDPOINT).toBe("${{ vars.KITESTACKS_STATE_ENDPOINT }}");
  });

  test("pull requests: npm ci, npm test and synth without secrets, and the synthesized JSON as an artifact", () => {
    for (const dir of DIRS) {
      const { doc } = load(`${dir}/pull-request.yml`);
      expect(Object.keys(doc.on)).toEqual(["pull_request"]);
      const lines = runLines(doc).join("\n");
      for (const step of ["npm ci", "npm test", "npm run synth"]) expect(lines).toContain(step);
      expect(lines).not.toMatch(/ci-plan|cdktf deploy|deploy\.sh|doctor/);
      const upload = stepsOf(doc).find((s) => String(s.uses).includes("actions/upload-artifact"));
      expect(upload.with).toMatchObject({ name: "synth", path: "cdktf.out/stacks/*/cdk.tf.json" });
    }
  });

  test("plans: main's synth as the reference, the guard before Terraform, then the summary as a comment", () => {
    for (const [forge, dir] of Object.entries(FORGES)) {
      const { doc } = load(`${dir}/plan.yml`);
      const plan = doc.jobs.plan;
      const lines = (plan.steps as any[]).map((s) => String(s.run ?? s.uses ?? "")).join("\n");
      const at = (text: string) => {
        expect(lines).toContain(text);
        return lines.indexOf(text);
      };
      expect(at("npm run synth -- --output cdktf.main")).toBeLessThan(at("download-artifact"));
      expect(at("download-artifact")).toBeLessThan(at("scripts/plan-guard.ts cdktf.main pr-synth cdktf.plan"));
      expect(at("scripts/plan-guard.ts")).toBeLessThan(at("tailscale/github-action"));
      expect(at("tailscale/github-action")).toBeLessThan(at("scripts/ci-plan.sh plans cdktf.plan"));
      expect(at("scripts/ci-plan.sh")).toBeLessThan(at("scripts/forge-api.ts comment"));
      // The credentialed job checks out main (the default), never the pull request.
      for (const s of plan.steps as any[]) if (String(s.uses).includes("actions/checkout")) expect([undefined, "main"]).toContain(s.with?.ref);
      if (forge === "github") {
        expect(Object.keys(doc.on)).toEqual(["workflow_run"]);
        expect(doc.on.workflow_run).toEqual({ workflows: ["pull-request"], types: ["completed"] });
        expect(plan.environment).toBe("plan");
        expect(plan.if).toBe("github.event.workflow_run.event == 'pull_request' && github.event.workflow_run.conclusion == 'success'");
        const download = (plan.steps as any[]).find((s) => String(s.uses).includes("download-artifact"));
        expect(download.with["run-id"]).toBe("${{ github.event.workflow_run.id }}");
      } else {
        expect(Object.keys(doc.on)).toEqual(["workflow_dispatch"]);
        expect(Object.keys(doc.on.workflow_dispatch.inputs).sort()).toEqual(["pr", "sha"]);
        expect(plan.needs).toBe("synth");
        const synth = doc.jobs.synth;
        expect(jobSecrets(doc, synth)).toEqual([]);
        expect(stepRunning(synth, 'test "$(git rev-parse HEAD)" = "$REVIEWED_SHA"').env.REVIEWED_SHA).toBe("${{ inputs.sha }}");
      }
    }
  });

  test("drift: daily schedule on main, plans with -detailed-exitcode, an issue when the diff is not empty", () => {
    expect(readFileSync(join(repoRoot, "scripts/ci-plan.sh"), "utf8")).toContain("-detailed-exitcode");
    for (const [forge, dir] of Object.entries(FORGES)) {
      const { doc } = load(`${dir}/drift.yml`);
      expect(doc.on.schedule[0].cron).toMatch(/^\d+ \d+ \* \* \*$/);
      const job = doc.jobs.drift;
      expect(job.if).toBe("github.ref == 'refs/heads/main'");
      if (forge === "github") expect(job.environment).toBe("drift");
      const report = (job.steps as any[]).find((s: any) => s.name === "Report drift");
      expect(report.if).toBe("steps.plan.outputs.exit != '0'");
      expect(report.run).toContain("scripts/forge-api.ts issue");
      expect(report.run.trim().endsWith("exit 1")).toBe(true);
    }
  });

  test("deploy: main only, tests in a job without secrets first, then approval (GitHub environment; Forgejo manual dispatch with confirmation)", () => {
    const gh = load(".github/workflows/deploy.yml").doc;
    expect(gh.jobs.deploy.environment).toBe("production");
    expect(gh.jobs.deploy.if).toContain("refs/heads/main");
    const fj = load(".forgejo/workflows/deploy.yml").doc;
    expect(Object.keys(fj.on)).toEqual(["workflow_dispatch"]);
    expect(fj.jobs.deploy.if).toBe("github.ref == 'refs/heads/main' && inputs.confirm == 'deploy'");
    for (const doc of [gh, fj]) {
      expect(doc.jobs.deploy.needs).toBe("test");
      expect(jobSecrets(doc, doc.jobs.test)).toEqual([]);
      expect(runLines({ jobs: { test: doc.jobs.test } })).toContain("npm test");
      const lines = runLines({ jobs: { deploy: doc.jobs.deploy } }).join("\n");
      // The guarded deploy (saved plans through the data guard), never a bare cdktf deploy.
      expect(lines).not.toMatch(/cdktf deploy|terraform apply/);
      expect(lines.indexOf("npm run doctor")).toBeGreaterThan(-1);
      expect(lines.indexOf("npm run doctor")).toBeLessThan(lines.indexOf("scripts/deploy.sh --auto-approve"));
    }
  });

  test("the runner joins the tailnet with an ephemeral key, and SSH trusts only the owner's known_hosts", () => {
    for (const wf of workflows) {
      expect(wf.text).not.toMatch(/StrictHostKeyChecking[= ](no|accept-new)|ssh-keyscan|UserKnownHostsFile=\/dev\/null/);
      for (const [, job] of jobsOf(wf.doc)) {
        const steps = job.steps as any[];
        const tailscale = steps.find((s) => String(s.uses ?? "").includes("tailscale/github-action"));
        if (!tailscale) continue;
        expect(tailscale.with.authkey).toBe("${{ secrets.TS_CI_AUTHKEY }}");
        const ssh = stepRunning(job, "known_hosts");
        expect(ssh.env.SSH_KNOWN_HOSTS).toBe("${{ secrets.SSH_KNOWN_HOSTS }}");
        expect(ssh.run).toContain("StrictHostKeyChecking yes");
      }
    }
  });
});

// actionlint (the workflow linter, with shellcheck on every run: script) is the real consumer
// closest to the forges: .ci/run installs both. Forgejo's runner label and full-URL actions are
// Forgejo syntax actionlint does not know; everything else is checked the same way.
describe("actionlint", () => {
  const lint = (args: string[]) => spawnSync("actionlint", ["-no-color", "-shellcheck", "shellcheck", ...args], { cwd: repoRoot, encoding: "utf8" });
  test("GitHub workflows lint clean", () => {
    const r = lint(files.filter((f) => forgeOf(f) === "github"));
    expect(r.error).toBeUndefined();
    expect([r.status, r.stdout]).toEqual([0, ""]);
  });
  test("Forgejo workflows lint clean (but for Forgejo's runner label and action URLs)", () => {
    const r = lint(["-ignore", 'label "docker" is unknown', "-ignore", "in invalid format because owner and repo", ...files.filter((f) => forgeOf(f) === "forgejo")]);
    expect([r.status, r.stdout]).toEqual([0, ""]);
  });
  test("it catches an expression injected into a script", () => {
    const dir = mkdtempSync(join(tmpdir(), "sec-actionlint-"));
    try {
      mkdirSync(join(dir, ".github", "workflows"), { recursive: true });
      writeFileSync(join(dir, ".github", "workflows", "bad.yml"), 'on: pull_request\npermissions: {}\njobs:\n  t:\n    runs-on: ubuntu-24.04\n    permissions: {}\n    steps:\n      - run: echo "${{ github.event.pull_request.title }}"\n');
      const r = spawnSync("actionlint", ["-no-color", ".github/workflows/bad.yml"], { cwd: dir, encoding: "utf8" });
      expect(r.status).toBe(1);
      expect(r.stdout).toContain("potentially untrusted");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
