import { App } from "cdktf";
import { HomelabSpec } from "../homelab/types";
import { adoptedDataImported } from "./adopted-data-imported";
import { authentikOneDatabase } from "./authentik-one-database";
import { containerHealthcheck } from "./container-healthcheck";
import { containerLogRotation } from "./container-log-rotation";
import { containerPinnedImage } from "./container-pinned-image";
import { containerRestartPolicy } from "./container-restart-policy";
import { Policy } from "./context";
import { databaseTailscaleOnly } from "./database-tailscale-only";
import { firewallAllowList } from "./firewall-allow-list";
import { ingressOnEveryConnector } from "./ingress-on-every-connector";
import { noPublicPort } from "./no-public-port";
import { noSecretLiteral } from "./no-secret-literal";
import { hostMemoryFits } from "./host-memory-fits";
import { replicatedIdenticalSecrets } from "./replicated-identical-secrets";
import { replicatedNoPerHostState } from "./replicated-no-per-host-state";
import { volumePreventDestroy } from "./volume-prevent-destroy";
import { formatNotes, PolicyReport, PolicyViolationError, runPolicies } from "./runner";

/** Every policy checked on each synth, in report order. */
export const POLICIES: readonly Policy[] = [
  noPublicPort,
  databaseTailscaleOnly,
  containerRestartPolicy,
  containerHealthcheck,
  containerLogRotation,
  containerPinnedImage,
  noSecretLiteral,
  firewallAllowList,
  ingressOnEveryConnector,
  authentikOneDatabase,
  replicatedNoPerHostState,
  replicatedIdenticalSecrets,
  hostMemoryFits,
  volumePreventDestroy,
  adoptedDataImported,
];

/**
 * Checks the app against the policies and returns what was found (nothing thrown). Call it
 * after adding constructs to an app built by buildHomelab, to check them too.
 */
export function checkPolicies(app: App, spec: HomelabSpec, policies: readonly Policy[] = POLICIES): PolicyReport {
  return runPolicies(app, spec, policies);
}

export interface EnforcePoliciesOptions {
  /** Where warnings and exemptions are printed. @default standard error */
  readonly log?: (text: string) => void;
  /** @default POLICIES */
  readonly policies?: readonly Policy[];
}

/**
 * The synth gate: throws ONE PolicyViolationError listing every error, and prints warnings
 * and exemptions. Runs before app.synth(), because cdktf checks error annotations per stack
 * after it has begun writing the output directory.
 */
export function enforcePolicies(app: App, spec: HomelabSpec, options: EnforcePoliciesOptions = {}): PolicyReport {
  const report = runPolicies(app, spec, options.policies ?? POLICIES);
  if (report.errors.length > 0) throw new PolicyViolationError(report);
  const notes = formatNotes(report);
  if (notes.length > 0) (options.log ?? ((text: string) => process.stderr.write(`${text}\n`)))(notes.join("\n"));
  return report;
}

export { PolicyExemption } from "./exemption";
export { PolicyViolationError } from "./runner";
export type { PolicyReport } from "./runner";
