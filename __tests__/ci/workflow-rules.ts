/**
 * Rules the CI workflows must satisfy (docs/security.md, CI), as functions over a parsed
 * workflow so that a test can show each one fails on a bad workflow.
 */

export type Workflow = { readonly file: string; readonly doc: any; readonly text: string };

const SECRET = /\$\{\{\s*secrets\.([A-Za-z0-9_]+)\s*\}\}/g;

/** Events whose runs execute code from a pull request's branch. */
const PR_EVENTS = ["pull_request", "pull_request_target"];

export const events = (doc: any): string[] => (typeof doc.on === "string" ? [doc.on] : Array.isArray(doc.on) ? doc.on : Object.keys(doc.on ?? {}));

export const jobsOf = (doc: any): [string, any][] => Object.entries((doc.jobs ?? {}) as Record<string, any>);

/** Every secret a value mentions (env maps, `with:` maps, run text, expressions). */
export function secretsIn(value: unknown): string[] {
  const text = typeof value === "string" ? value : JSON.stringify(value ?? "");
  return [...text.matchAll(SECRET)].map((m) => m[1]);
}

/** Secrets a job can read: the workflow's env, the job's env, and every step's env, with and run. */
export function jobSecrets(doc: any, job: any): string[] {
  return [...secretsIn(doc.env), ...secretsIn(job.env), ...secretsIn(job.steps), ...secretsIn(job.with), ...secretsIn(job.secrets)];
}

/**
 * A job runs a pull request's code when its workflow is triggered by a pull request event, or
 * when it checks out a ref that a pull request (or a dispatch input) chooses.
 */
export function runsPullRequestCode(doc: any, job: any): boolean {
  if (events(doc).some((e) => PR_EVENTS.includes(e))) return true;
  return (job.steps as any[]).some((s) => /actions\/checkout@/.test(String(s.uses ?? "")) && /refs\/pull|inputs\.|pull_request|head_sha|head_ref|head\.sha/.test(String(s.with?.ref ?? "")));
}

/** Problems: secrets reachable by a job that runs a pull request's code. */
export function untrustedSecretProblems(wf: Workflow): string[] {
  return jobsOf(wf.doc)
    .filter(([, job]) => runsPullRequestCode(wf.doc, job))
    .flatMap(([id, job]) => {
      const found = [...new Set(jobSecrets(wf.doc, job))];
      const problems = found.map((s) => `${wf.file}: job ${id} runs pull request code and can read secrets.${s}`);
      if (job.environment) problems.push(`${wf.file}: job ${id} runs pull request code in environment ${JSON.stringify(job.environment)}`);
      return problems;
    });
}

/** Problems: actions not pinned to a full commit SHA with the version in a comment. */
export function unpinnedActionProblems(wf: Workflow): string[] {
  const problems: string[] = [];
  for (const line of wf.text.split("\n")) {
    const m = /^\s*(?:-\s+)?uses:\s*(\S+)(.*)$/.exec(line);
    if (!m) continue;
    const [, ref, rest] = m;
    if (ref.startsWith("./")) continue;
    if (!/@[0-9a-f]{40}$/.test(ref)) problems.push(`${wf.file}: ${ref} is not pinned to a full commit SHA`);
    else if (!/^\s+# v\d+\.\d+\.\d+\s*$/.test(rest)) problems.push(`${wf.file}: ${ref} has no "# vX.Y.Z" comment naming the pinned release`);
  }
  return problems;
}

/** Problems: a workflow or a job without an explicit `permissions:`. */
export function permissionProblems(wf: Workflow): string[] {
  const problems: string[] = [];
  if (!("permissions" in wf.doc)) problems.push(`${wf.file}: no top-level permissions`);
  for (const [id, job] of jobsOf(wf.doc)) if (!("permissions" in job)) problems.push(`${wf.file}: job ${id} has no permissions`);
  return problems;
}

/** Commands a step holding a credential (other than the job token) may run: main's tooling only. */
const CREDENTIALED_COMMANDS = [
  /^scripts\/ci-plan\.sh plans( cdktf\.plan)?$/,
  /^npm run doctor$/,
  /^scripts\/deploy\.sh --auto-approve$/,
  /^install -m 700 -d ~\/\.ssh$/,
  /^\(umask 077 && printf '%s\\n' "\$DEPLOY_SSH_KEY" > ~\/\.ssh\/id_ed25519\)$/,
  /^printf '%s\\n' "\$SSH_KNOWN_HOSTS" > ~\/\.ssh\/known_hosts$/,
  /^printf 'Host \*\\n {2}StrictHostKeyChecking yes\\n' > ~\/\.ssh\/config$/,
  /^set \+e$/,
  /^echo "exit=\$\?" >> "\$GITHUB_OUTPUT"$/,
];

/**
 * Problems in jobs that hold credentials: they must not be triggered by a pull request, not
 * put secrets in workflow or job env (where npm ci and synth would see them), and run only the
 * allowed commands in the steps that do hold them.
 */
export function credentialedJobProblems(wf: Workflow, forge: "github" | "forgejo"): string[] {
  const problems: string[] = [];
  if (secretsIn(wf.doc.env).length > 0) problems.push(`${wf.file}: secrets in the workflow's env reach every step of every job`);
  for (const [id, job] of jobsOf(wf.doc)) {
    const held = jobSecrets(wf.doc, job).filter((s) => s !== "GITHUB_TOKEN");
    if (held.length === 0) continue;
    if (secretsIn(job.env).length > 0) problems.push(`${wf.file}: job ${id} puts secrets in the job's env`);
    if (forge === "github" && !job.environment) problems.push(`${wf.file}: job ${id} holds secrets outside an environment`);
    for (const step of job.steps as any[]) {
      if (secretsIn(step.env).length === 0 && secretsIn(step.run).length === 0) continue;
      if (secretsIn(step.run).length > 0) problems.push(`${wf.file}: job ${id} step ${step.name ?? step.run} writes a secret into its script text`);
      const lines = String(step.run ?? "")
        .split("\n")
        .map((l) => l.trim())
        .filter((l) => l && !l.startsWith("#"));
      for (const line of lines) {
        if (!CREDENTIALED_COMMANDS.some((re) => re.test(line))) problems.push(`${wf.file}: job ${id} runs "${line}" with secrets in its env`);
      }
    }
  }
  return problems;
}
