import { App } from "cdktf";
import { IConstruct } from "constructs";
import { HomelabSpec } from "../homelab/types";
import { EXEMPT_LABEL_PREFIX, Finding, labelsOf, Policy, PolicyContext, show } from "./context";
import { EXEMPTION_METADATA, ExemptionEntry } from "./exemption";

/** Rule id of problems with the exemptions themselves. */
export const EXEMPTION_RULE = "policy-exemption";

/** A declared exemption and where it applies (the construct path and everything below it). */
export interface Exemption extends ExemptionEntry {
  readonly path: string;
  /** How it was declared. */
  readonly via: "PolicyExemption" | "label";
}

export interface PolicyReport {
  readonly errors: readonly Finding[];
  readonly warnings: readonly Finding[];
  /** Findings an exemption waived, with the exemption that did. */
  readonly exempted: readonly { readonly finding: Finding; readonly exemption: Exemption }[];
  readonly exemptions: readonly Exemption[];
}

export class PolicyViolationError extends Error {
  constructor(public readonly report: PolicyReport) {
    super(formatErrors(report));
    this.name = "PolicyViolationError";
  }
}

const covers = (exemption: Exemption, path: string) => path === exemption.path || path.startsWith(`${exemption.path}/`);

function declaredExemptions(ctx: PolicyContext): Exemption[] {
  const fromConstructs = ctx.app.node.findAll().flatMap((c: IConstruct) =>
    c.node.metadata
      .filter((m) => m.type === EXEMPTION_METADATA)
      .map((m) => ({ ...(m.data as ExemptionEntry), path: c.node.path, via: "PolicyExemption" as const })),
  );
  const fromLabels = ctx.resources("docker_container").flatMap((r) =>
    [...labelsOf(r.body)]
      .filter(([label]) => label.startsWith(EXEMPT_LABEL_PREFIX))
      .map(([label, reason]) => ({ rule: label.slice(EXEMPT_LABEL_PREFIX.length), reason, path: r.path, via: "label" as const })),
  );
  return [...fromConstructs, ...fromLabels];
}

/** Runs the policies over the app's stacks (after prepareStack) and sorts findings by outcome. */
export function runPolicies(app: App, spec: HomelabSpec, policies: readonly Policy[]): PolicyReport {
  const ctx = new PolicyContext(app, spec);
  const exemptions = declaredExemptions(ctx);
  const ids = new Set(policies.map((p) => p.id));
  const invalid: Finding[] = exemptions
    .filter((e) => !(typeof e.reason === "string" && e.reason.trim().length > 0) || !ids.has(e.rule))
    .map((e) => ({
      rule: EXEMPTION_RULE,
      severity: "error",
      stack: e.path.split("/")[0],
      address: e.via === "label" ? `label ${EXEMPT_LABEL_PREFIX}${e.rule}` : `exemption ${JSON.stringify(e.rule)}`,
      path: e.path,
      value: show(ids.has(e.rule) ? e.reason : e.rule),
      problem: ids.has(e.rule) ? "an exemption must state why (the reason is empty)" : `${JSON.stringify(e.rule)} is not a policy id`,
      fix: ids.has(e.rule)
        ? 'give the reason reviewers should read, e.g. PolicyExemption.of(c).exempt("no-public-port", "Caddy serves git-backup on :80")'
        : `use one of: ${[...ids].join(", ")}`,
    }));
  const valid = exemptions.filter((e) => !invalid.some((f) => f.path === e.path && f.address.includes(e.rule)));

  const findings: Finding[] = policies.flatMap((policy) =>
    policy.check(ctx).map((d) => ({
      rule: policy.id,
      severity: d.severity ?? "error",
      stack: d.resource.stack.name,
      address: d.resource.address,
      path: d.resource.path,
      value: typeof d.value === "string" ? d.value : show(d.value),
      problem: d.problem,
      fix: d.fix,
    })),
  );
  const exempted: { finding: Finding; exemption: Exemption }[] = [];
  const kept: Finding[] = [];
  for (const finding of findings) {
    const exemption = valid.find((e) => e.rule === finding.rule && covers(e, finding.path));
    if (exemption) exempted.push({ finding, exemption });
    else kept.push(finding);
  }
  return {
    errors: [...invalid, ...kept.filter((f) => f.severity === "error")],
    warnings: kept.filter((f) => f.severity === "warning"),
    exempted,
    exemptions: valid,
  };
}

export function formatFinding(f: Finding): string {
  return `[${f.rule}] ${f.stack} ${f.address} (${f.path}): ${f.problem}; value ${f.value}. Fix: ${f.fix}.`;
}

const ESCAPE_HATCH =
  'To waive a rule for one construct, with a reason: PolicyExemption.of(construct).exempt("<rule>", "<reason>"), or the container label org.kitestacks.policy-exempt.<rule>=<reason> (docs/operations.md).';

function formatErrors(report: PolicyReport): string {
  const n = report.errors.length;
  return [
    `Policy checks failed: ${n} error${n === 1 ? "" : "s"}; nothing was synthesized.`,
    ...report.errors.map((f) => `  - ${formatFinding(f)}`),
    ...formatNotes(report),
    ESCAPE_HATCH,
  ].join("\n");
}

/** Warnings and exemptions, for the synth output. */
export function formatNotes(report: PolicyReport): string[] {
  const lines: string[] = [];
  if (report.warnings.length > 0) {
    lines.push(`Policy warnings (${report.warnings.length}):`, ...report.warnings.map((f) => `  - ${formatFinding(f)}`));
  }
  if (report.exemptions.length > 0) {
    lines.push(`Policy exemptions (${report.exemptions.length}):`);
    for (const e of report.exemptions) {
      const waived = report.exempted.filter((x) => x.exemption === e).length;
      lines.push(`  - [${e.rule}] ${e.path}: ${e.reason} (${e.via}; waives ${waived} finding${waived === 1 ? "" : "s"})`);
    }
  }
  return lines;
}
