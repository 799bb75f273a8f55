import { ZeroTrustAccessApplication } from "@cdktf/provider-cloudflare/lib/zero-trust-access-application";
import { Construct } from "constructs";
import { AccessEmailPolicy } from "./access-email-policy";

export interface AccessGuardProps {
  /** Account the application belongs to (a sensitive variable). */
  readonly accountId: string;
  /** The public hostname Access protects (every path under it). */
  readonly hostname: string;
  /** Application name in the Zero Trust dashboard. */
  readonly name: string;
  /** Policies evaluated in this order (precedence 1, 2, ...); the first match decides. */
  readonly policies: readonly AccessEmailPolicy[];
  /**
   * How long an Access login lasts before Cloudflare asks again.
   * @default "24h"
   */
  readonly sessionDuration?: string;
}

/**
 * A self-hosted Cloudflare Access application in front of one hostname: Cloudflare checks the
 * visitor against the policies before the request reaches the tunnel at all.
 */
export class AccessGuard extends Construct {
  public readonly application: ZeroTrustAccessApplication;

  constructor(scope: Construct, id: string, props: AccessGuardProps) {
    super(scope, id);
    if (props.policies.length === 0) {
      throw new Error(`${this.node.path}: policies is empty, so Access would deny everyone at ${props.hostname}. Fix: attach at least one policy.`);
    }
    this.application = new ZeroTrustAccessApplication(this, "application", {
      accountId: props.accountId,
      name: props.name,
      type: "self_hosted",
      domain: props.hostname,
      // `destinations` supersedes `self_hosted_domains` in v5; setting it to what the API would
      // derive from `domain` keeps plans quiet.
      destinations: [{ type: "public", uri: props.hostname }],
      sessionDuration: props.sessionDuration ?? "24h",
      policies: props.policies.map((p, i) => ({ id: p.policy.id, precedence: i + 1 })),
    });
  }
}
