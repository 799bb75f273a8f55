/**
 * CI helper for pull requests and drift checks.
 *
 *   tsx scripts/plan-summary.ts order [cdktf.out]          stacks in deploy order, one per line
 *   tsx scripts/plan-summary.ts render <plans dir> [title]  markdown summary of <stack>.json plans
 *
 *   tsx scripts/plan-summary.ts guard <plan.json> <stack>   exit 1 when the plan loses data
 *
 * `render` reads `<stack>.json` (`terraform show -json plan.tfplan`) and, for a stack whose
 * plan failed, `<stack>.error` (the tail of its log), for every stack in `<plans dir>/order`.
 * `guard` is the data guard scripts/deploy.sh runs on each saved plan before applying it.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";

/** The parts of `terraform show -json` this summary reads. */
export interface TerraformPlanJson {
  readonly resource_changes?: readonly { readonly address: string; readonly change: { readonly actions: readonly string[] } }[];
  readonly output_changes?: Readonly<Record<string, { readonly actions: readonly string[] }>>;
}

export interface StackPlanSummary {
  readonly stack: string;
  readonly add: number;
  readonly change: number;
  readonly destroy: number;
  /** Addresses Terraform destroys, replacements included. */
  readonly destroyed: readonly string[];
  /** Addresses replaced (destroyed and created again). */
  readonly replaced: readonly string[];
  readonly changed: readonly string[];
  readonly added: readonly string[];
  /** Data-holding resources deleted or replaced (see DATA_HOLDING_TYPES). */
  readonly dataLosses: readonly DataLoss[];
  /** Set when the plan could not be made. */
  readonly error?: string;
}

export function summarizePlan(stack: string, plan: TerraformPlanJson): StackPlanSummary {
  const added: string[] = [];
  const changed: string[] = [];
  const destroyed: string[] = [];
  const replaced: string[] = [];
  for (const rc of plan.resource_changes ?? []) {
    const actions = rc.change.actions;
    if (actions.includes("delete")) destroyed.push(rc.address);
    if (actions.includes("create")) added.push(rc.address);
    if (actions.includes("delete") && actions.includes("create")) replaced.push(rc.address);
    if (actions.includes("update")) changed.push(rc.address);
  }
  return { stack, add: added.length, change: changed.length, destroy: destroyed.length, added, changed, destroyed, replaced, dataLosses: dataLosses(stack, plan) };
}

/**
 * Resource types whose deletion or replacement loses the homelab's data: Docker volumes, the
 * generated passwords and keys that open it (a new database password locks the apps out; a new
 * restic password no longer opens the repository), and the Hetzner server, whose disk holds
 * kscloud1's volumes. prevent_destroy guards these only while they are in the configuration; a
 * resource that leaves it (a service dropped from the description instead of retired) is planned
 * for deletion silently, hence this guard on the plan itself.
 */
export const DATA_HOLDING_TYPES = ["docker_volume", "random_password", "random_bytes", "hcloud_server"] as const;

/** A planned change that would lose data, with what to do instead. */
export interface DataLoss {
  readonly stack: string;
  readonly address: string;
  readonly action: "deleted" | "replaced";
}

/** The data-holding resources a plan deletes or replaces (forgetting one is not a loss). */
export function dataLosses(stack: string, plan: TerraformPlanJson): DataLoss[] {
  const out: DataLoss[] = [];
  for (const rc of plan.resource_changes ?? []) {
    const type = rc.address.replace(/^(module\.[^.]+\.)*/, "").split(".")[0];
    if (!(DATA_HOLDING_TYPES as readonly string[]).includes(type)) continue;
    const actions = rc.change.actions;
    if (!actions.includes("delete")) continue;
    out.push({ stack, address: rc.address, action: actions.includes("create") ? "replaced" : "deleted" });
  }
  return out;
}

/** The guard's message: every loss, and the ways forward. */
export function renderDataLosses(losses: readonly DataLoss[]): string {
  return [
    `data guard: this plan would lose data; nothing was applied (${losses.length} resource${losses.length === 1 ? "" : "s"}):`,
    ...losses.map((l) => `  ${l.stack}: ${l.address} would be ${l.action}`),
    "fix one of:",
    "  - a service taken out of the description: list it in `retired` (homelab/homelab.ts) so its volumes are forgotten, not deleted;",
    "  - a renamed service: keep the old name in its `formerNames`, so moved blocks carry the volumes;",
    "  - a change that replaces a volume, password or the server (a new name, label or server type that cannot change in place): undo it, or follow docs/backups.md;",
    "  - meant on purpose: take the resource out of Terraform's hands (`terraform -chdir=cdktf.out/stacks/<stack> state rm <address>`) after a last backup, then delete it by hand (docs/backups.md, \"Destroying on purpose\").",
  ].join("\n");
}

/** True when the plan would change anything (what the drift check reports). */
export const hasChanges = (s: StackPlanSummary) => s.error !== undefined || s.add + s.change + s.destroy > 0;

function list(title: string, addresses: readonly string[]): string[] {
  if (addresses.length === 0) return [];
  return [`<details><summary>${title} (${addresses.length})</summary>`, "", ...addresses.map((a) => `- \`${a}\``), "", "</details>", ""];
}

export function renderSummary(summaries: readonly StackPlanSummary[], title = "Terraform plan"): string {
  const destroys = summaries.reduce((n, s) => n + s.destroy, 0);
  const failed = summaries.filter((s) => s.error !== undefined);
  const lines = [`## ${title}`, ""];
  if (destroys > 0) lines.push(`> [!WARNING]`, `> **${destroys} resource${destroys === 1 ? "" : "s"} will be destroyed.** Check the list below before merging.`, "");
  if (failed.length > 0) lines.push(`> [!CAUTION]`, `> Plan failed for: ${failed.map((s) => `\`${s.stack}\``).join(", ")}.`, "");
  const losses = summaries.flatMap((s) => s.dataLosses);
  if (losses.length > 0) {
    lines.push(`> [!CAUTION]`, `> **Data would be lost; the deploy's data guard refuses this plan:**`);
    for (const l of losses) lines.push(`> - \`${l.stack}\`: \`${l.address}\` would be ${l.action}`);
    lines.push(`>`, `> Retire a removed service (\`retired\`), keep a renamed one's \`formerNames\`, or see docs/backups.md.`, "");
  }
  lines.push("| Stack | Add | Change | Destroy |", "|---|---:|---:|---:|");
  for (const s of summaries) {
    if (s.error !== undefined) lines.push(`| \`${s.stack}\` | – | – | ❌ plan failed |`);
    else lines.push(`| \`${s.stack}\` | ${s.add} | ${s.change} | ${s.destroy > 0 ? `⚠️ **${s.destroy}**` : "0"} |`);
  }
  lines.push("");
  for (const s of summaries) {
    if (s.error !== undefined) {
      lines.push(`### \`${s.stack}\`: plan failed`, "", "```", s.error.trim(), "```", "");
      continue;
    }
    if (s.add + s.change + s.destroy === 0) continue;
    lines.push(`### \`${s.stack}\``, "");
    const replacedSet = new Set(s.replaced);
    lines.push(
      ...list("⚠️ Destroyed", s.destroyed.filter((a) => !replacedSet.has(a))),
      ...list("⚠️ Replaced (destroyed, then created)", s.replaced),
      ...list("Changed in place", s.changed),
      ...list("Created", s.added.filter((a) => !replacedSet.has(a))),
    );
  }
  if (summaries.every((s) => !hasChanges(s))) lines.push("No changes: the infrastructure matches the configuration.", "");
  return lines.join("\n");
}

/**
 * Stacks in deploy order from cdktf's manifest: each after the stacks it depends on, ties in
 * manifest order.
 */
export function deployOrder(manifest: { stacks: Record<string, { dependencies?: string[] }> }): string[] {
  const names = Object.keys(manifest.stacks);
  const done: string[] = [];
  const visit = (name: string, path: string[]) => {
    if (done.includes(name)) return;
    if (path.includes(name)) throw new Error(`stack dependency cycle: ${[...path, name].join(" -> ")}`);
    for (const dep of manifest.stacks[name]?.dependencies ?? []) visit(dep, [...path, name]);
    done.push(name);
  };
  names.forEach((n) => visit(n, []));
  return done;
}

/** Reads `<dir>/<stack>.json` or `<dir>/<stack>.error` for each stack. */
export function readSummaries(dir: string, stacks: readonly string[]): StackPlanSummary[] {
  return stacks.map((stack) => {
    const planFile = join(dir, `${stack}.json`);
    const errorFile = join(dir, `${stack}.error`);
    if (existsSync(planFile) && !existsSync(errorFile)) return summarizePlan(stack, JSON.parse(readFileSync(planFile, "utf8")));
    const error = existsSync(errorFile) ? readFileSync(errorFile, "utf8").split("\n").slice(-40).join("\n") : "no plan was produced";
    return { ...summarizePlan(stack, {}), error };
  });
}

function main(argv: string[]): number {
  const [command, arg, title] = argv;
  if (command === "order") {
    const manifest = JSON.parse(readFileSync(join(arg ?? "cdktf.out", "manifest.json"), "utf8"));
    process.stdout.write(deployOrder(manifest).join("\n") + "\n");
    return 0;
  }
  if (command === "render" && arg) {
    const stacks = readFileSync(join(arg, "order"), "utf8").split("\n").filter(Boolean);
    const summaries = readSummaries(arg, stacks);
    process.stdout.write(renderSummary(summaries, title));
    return 0;
  }
  if (command === "guard" && arg && title) {
    const losses = dataLosses(title, JSON.parse(readFileSync(arg, "utf8")) as TerraformPlanJson);
    if (losses.length === 0) return 0;
    process.stderr.write(renderDataLosses(losses) + "\n");
    return 1;
  }
  process.stderr.write("usage: plan-summary.ts order [cdktf.out] | render <plans dir> [title] | guard <plan.json> <stack>\n");
  return 2;
}

if (require.main === module) process.exit(main(process.argv.slice(2)));
