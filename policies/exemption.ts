import { IConstruct } from "constructs";

/** Metadata type the exemptions are stored under on a construct node. */
export const EXEMPTION_METADATA = "kitestacks:policy-exemption";

export interface ExemptionEntry {
  readonly rule: string;
  readonly reason: string;
}

/**
 * The escape hatch of the policy checks: exempt a construct (and everything under it) from
 * one rule, with a reason that reviewers read. An empty reason is itself a policy error, and
 * every exemption is listed in the synth output.
 *
 *   PolicyExemption.of(myContainer).exempt("no-public-port", "Caddy serves :80 for git-backup");
 *
 * Containers can also carry the label `org.kitestacks.policy-exempt.<rule>=<reason>`.
 */
export class PolicyExemption {
  static of(construct: IConstruct): PolicyExemption {
    return new PolicyExemption(construct);
  }

  private constructor(private readonly construct: IConstruct) {}

  exempt(rule: string, reason: string): this {
    this.construct.node.addMetadata(EXEMPTION_METADATA, { rule, reason } satisfies ExemptionEntry);
    return this;
  }

  /** Exemptions declared on this construct itself (not its scopes). */
  get entries(): ExemptionEntry[] {
    return this.construct.node.metadata.filter((m) => m.type === EXEMPTION_METADATA).map((m) => m.data as ExemptionEntry);
  }
}
