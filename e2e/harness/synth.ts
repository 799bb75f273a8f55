/** The synthesized homelab as the e2e test uses it: each stack's directory, JSON and deploy order. */
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { run } from "./run";

export interface SynthesizedStack {
  readonly name: string;
  /** Terraform working directory (cdktf.out/stacks/<name>). */
  readonly dir: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly json: any;
}

const REPO_ROOT = resolve(__dirname, "..", "..");

/** Runs synth-app.ts with `cwd` as working directory; returns the stacks in manifest order. */
export async function synthesize(
  cwd: string,
  buildArgs: Record<string, Record<string, string>>,
  options: { outdir?: string; repoRoot?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<SynthesizedStack[]> {
  const outdir = options.outdir ?? join(cwd, "cdktf.out");
  await run([join(REPO_ROOT, "node_modules", ".bin", "tsx"), join(__dirname, "synth-app.ts")], {
    cwd,
    env: {
      ...process.env,
      KSE2E_OUTDIR: outdir,
      KSE2E_BUILD_ARGS: JSON.stringify(buildArgs),
      CHECKPOINT_DISABLE: "1",
      ...(options.repoRoot ? { KSE2E_REPO_ROOT: options.repoRoot } : {}),
      // e.g. KITESTACKS_ADOPTION (synth-app.ts).
      ...options.env,
    },
  });
  const manifest = JSON.parse(readFileSync(join(outdir, "manifest.json"), "utf8")) as {
    stacks: Record<string, { name: string; workingDirectory: string; synthesizedStackPath: string }>;
  };
  return Object.values(manifest.stacks).map((s) => ({
    name: s.name,
    dir: join(outdir, s.workingDirectory),
    json: JSON.parse(readFileSync(join(outdir, s.synthesizedStackPath), "utf8")),
  }));
}
