import { App, TerraformStack } from "cdktf";
import { IConstruct } from "constructs";
import { LABELS } from "../constructs/kite-service";
import { HomelabSpec } from "../homelab/types";

/**
 * What a policy sees: every stack of the app as the Terraform JSON it will be written as
 * (after prepareStack, so cross-stack references are resolved), plus the spec. Policies read
 * resources generically by type, so resources other constructs add later are checked too.
 */

export type Severity = "error" | "warning";

/** One problem a policy found. */
export interface Finding {
  /** Policy id, e.g. "no-public-port". */
  readonly rule: string;
  readonly severity: Severity;
  /** Stack name, e.g. "monk-docker". */
  readonly stack: string;
  /** Terraform address inside the stack, e.g. docker_container.service-x_main_container_ABC. */
  readonly address: string;
  /** Construct path, e.g. monk-docker/service-x/main/container. */
  readonly path: string;
  /** The offending value, as written in the stack (JSON for non-strings). */
  readonly value: string;
  /** What is wrong. */
  readonly problem: string;
  /** How to fix it. */
  readonly fix: string;
}

/** A resource of a synthesized stack. */
export interface ResourceView {
  readonly stack: StackView;
  readonly type: string;
  readonly logicalId: string;
  /** `type.logicalId`. */
  readonly address: string;
  /** Construct path from the resource's metadata (the address when absent). */
  readonly path: string;
  readonly body: Record<string, any>;
}

export interface StackView {
  readonly name: string;
  readonly construct: TerraformStack;
  readonly json: Record<string, any>;
}

export interface Policy {
  /** Stable id, used in findings and exemptions. */
  readonly id: string;
  /** One line: what the policy guarantees (docs and the findings header). */
  readonly description: string;
  check(ctx: PolicyContext): FindingDraft[];
}

/** What a policy returns: a finding about a resource; the runner fills in the rest. */
export interface FindingDraft {
  readonly resource: ResourceView;
  readonly value: unknown;
  readonly problem: string;
  readonly fix: string;
  /** @default "error" */
  readonly severity?: Severity;
}

/** Label keys read by the policies (the values KiteService sets). */
/** The labels KiteService writes: the policies read the same keys. */
export const ROLE_LABEL = LABELS.role;
export const HOST_LABEL = LABELS.host;
/** A container label `org.kitestacks.policy-exempt.<rule>` with the reason as its value. */
export const EXEMPT_LABEL_PREFIX = "org.kitestacks.policy-exempt.";

/**
 * A value read from another stack's state, as KiteStack writes it: wrapped in sensitive()
 * (stacks/kite-stack.ts), or bare.
 */
const REMOTE_OUTPUT = /^\$\{(?:sensitive\(data\.terraform_remote_state\.([^.}]+)\.outputs\.([^.})]+)\)|data\.terraform_remote_state\.([^.}]+)\.outputs\.([^.}]+))\}$/;
/** cdktf names the remote state of a cross-stack reference after the stack it reads. */
const CROSS_STACK_INPUT = "cross-stack-reference-input-";

export class PolicyContext {
  public readonly stacks: readonly StackView[];
  private readonly byPath: ReadonlyMap<string, IConstruct>;

  constructor(
    public readonly app: App,
    public readonly spec: HomelabSpec,
  ) {
    const stacks = app.node.findAll().filter(TerraformStack.isStack);
    // Idempotent, and what app.synth() does first: cross-stack tokens become remote state.
    stacks.forEach((s) => s.prepareStack());
    this.stacks = stacks.map((s) => ({ name: s.node.id, construct: s, json: s.toTerraform() as Record<string, any> }));
    this.byPath = new Map(app.node.findAll().map((c) => [c.node.path, c]));
  }

  /** Every resource of a type, in every stack. */
  resources(type: string): ResourceView[] {
    return this.stacks.flatMap((stack) => this.resourcesIn(stack, type));
  }

  resourcesIn(stack: StackView, type: string): ResourceView[] {
    return Object.entries((stack.json.resource?.[type] ?? {}) as Record<string, Record<string, any>>).map(([logicalId, body]) => ({
      stack,
      type,
      logicalId,
      address: `${type}.${logicalId}`,
      path: body["//"]?.metadata?.path ?? `${stack.name}/${type}.${logicalId}`,
      body,
    }));
  }

  /** Every resource of every type, in every stack. */
  allResources(): ResourceView[] {
    return this.stacks.flatMap((stack) => Object.keys(stack.json.resource ?? {}).flatMap((type) => this.resourcesIn(stack, type)));
  }

  /** The construct a resource was synthesized from. */
  constructOf(resource: ResourceView): IConstruct | undefined {
    return this.byPath.get(resource.path);
  }

  /**
   * Where a value really comes from: a cross-stack output is followed to the stack that
   * owns it, so `${data.terraform_remote_state.x.outputs.y}` on monk and
   * `${var.tailscale_ip_kscloud1}` on kscloud1 both read `kscloud1-docker:${var.tailscale_ip_kscloud1}`.
   * Literals come back unchanged; other expressions are prefixed with their stack.
   */
  origin(stack: StackView, value: string): string {
    const m = REMOTE_OUTPUT.exec(value);
    if (m) {
      const source = m[1] ?? m[3];
      const output = m[2] ?? m[4];
      const owner = source.startsWith(CROSS_STACK_INPUT)
        ? this.stacks.find((s) => s.name === source.slice(CROSS_STACK_INPUT.length))
        : this.stacks.find((s) => s.json.output?.[output] !== undefined);
      const outValue = owner?.json.output?.[output]?.value;
      if (owner && typeof outValue === "string") return this.origin(owner, outValue);
    }
    return value.includes("${") ? `${stack.name}:${value}` : value;
  }
}

// ---- Helpers on resource bodies (docker_container and friends) ----

export function labelsOf(body: Record<string, any>): Map<string, string> {
  const labels = new Map<string, string>();
  const raw = body.labels;
  if (Array.isArray(raw)) for (const l of raw) if (l && typeof l.label === "string") labels.set(l.label, String(l.value ?? ""));
  return labels;
}

/** A container's env list (`NAME=value` strings) as a map. */
export function envOf(body: Record<string, any>): Map<string, string> {
  const env = new Map<string, string>();
  for (const entry of Array.isArray(body.env) ? body.env : []) {
    if (typeof entry !== "string") continue;
    const eq = entry.indexOf("=");
    if (eq > 0) env.set(entry.slice(0, eq), entry.slice(eq + 1));
  }
  return env;
}

/** One-shot containers carry role "job"; everything else is meant to keep running. */
export function isJob(body: Record<string, any>): boolean {
  return labelsOf(body).get(ROLE_LABEL) === "job";
}

/** Published ports of a container (the provider's `ports` blocks). */
export function portsOf(body: Record<string, any>): Record<string, any>[] {
  const ports = body.ports;
  if (Array.isArray(ports)) return ports;
  return ports && typeof ports === "object" ? [ports] : [];
}

/** Compact rendering of a value for a finding. */
export function show(value: unknown): string {
  if (value === undefined) return "(not set)";
  return typeof value === "string" ? JSON.stringify(value) : JSON.stringify(value);
}
