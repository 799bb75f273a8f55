/**
 * Synthesizes the homelab for the e2e test, run as a child process whose working directory is
 * the run's own folder: cdktf's default local backend is `<cwd>/terraform.<stack>.tfstate`, so
 * the test's state never lands next to a developer's real state in the repo root.
 *   KSE2E_OUTDIR      where cdktf.out goes
 *   KSE2E_BUILD_ARGS  JSON, the app context's build arguments (test base images)
 *   KSE2E_REPO_ROOT   where the build folders are read from (default: this repo)
 *   KITESTACKS_ADOPTION  an adoption file, read and checked as main.ts does (default: none;
 *                        unlike main.ts, no ./adoption.json: the e2e synthesizes a fresh homelab)
 */
import { App } from "cdktf";
import { resolve } from "node:path";
import { BUILD_ARGS_CONTEXT, buildHomelab } from "../../app";
import { loadAdoption } from "../../homelab/adoption";
import { kitestacks } from "../../homelab/homelab";

// KSE2E_REPO_ROOT: another root for the build folders (the test's "one portal file changed" copy).
const repoRoot = process.env.KSE2E_REPO_ROOT ?? resolve(__dirname, "..", "..");
const app = new App({
  outdir: process.env.KSE2E_OUTDIR!,
  context: { [BUILD_ARGS_CONTEXT]: JSON.parse(process.env.KSE2E_BUILD_ARGS ?? "{}") },
});
const adoptionFile = process.env.KITESTACKS_ADOPTION;
const adoption = adoptionFile ? loadAdoption(resolve(adoptionFile), kitestacks) : undefined;
if (adoptionFile && !adoption) throw new Error(`KITESTACKS_ADOPTION: ${adoptionFile} does not exist`);
buildHomelab(app, kitestacks, { repoRoot, adoption });
app.synth();
