import { ZeroTrustAccessPolicy } from "@cdktf/provider-cloudflare/lib/zero-trust-access-policy";
import { TerraformIterator, Token } from "cdktf";
import { Construct } from "constructs";

export interface AccessEmailPolicyProps {
  /** Account the policy belongs to (a sensitive variable). */
  readonly accountId: string;
  /** Policy name in the Zero Trust dashboard. */
  readonly name: string;
  /**
   * Who is let through: a list variable's value (`variable.listValue`), or literal addresses.
   * Each address becomes one include rule.
   */
  readonly emails: string[];
}

/**
 * A reusable Cloudflare Access policy that allows the listed emails (after a one-time PIN or
 * an identity provider proves the address), for any number of Access applications.
 */
export class AccessEmailPolicy extends Construct {
  public readonly policy: ZeroTrustAccessPolicy;

  constructor(scope: Construct, id: string, props: AccessEmailPolicyProps) {
    super(scope, id);
    if (!Token.isUnresolved(props.emails) && props.emails.length === 0) {
      throw new Error(`${this.node.path}: emails is empty, so the policy would let nobody in. Fix: list at least one address.`);
    }
    this.policy = new ZeroTrustAccessPolicy(this, "policy", {
      accountId: props.accountId,
      name: props.name,
      decision: "allow",
      // v5 `include` is a list of one-key objects ({email = {email = "..."}}). A list variable
      // has no length at synth time, so a Terraform for expression builds one entry per address.
      include: Token.isUnresolved(props.emails)
        ? TerraformIterator.fromList(props.emails).forExpressionForList("{ email = { email = val } }")
        : props.emails.map((email) => ({ email: { email } })),
    });
  }
}
