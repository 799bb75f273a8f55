import { TerraformStack, TerraformVariable } from "cdktf";
import { Construct } from "constructs";
import { HomelabSpec, HostSpec } from "../homelab/types";

/** One value a person supplies at plan time (TF_VAR_<name> or a *.auto.tfvars file). */
export interface InputDefinition {
  readonly name: string;
  readonly description: string;
  /** @default "string" */
  readonly type?: string;
  /** @default true: everything a person supplies is treated as secret */
  readonly sensitive?: boolean;
  /** Terraform validation blocks, conditions written against `var.<name>`. */
  readonly validation?: readonly { readonly condition: string; readonly errorMessage: string }[];
}

/** Every input of the homelab that is not per host or per service, in one table. */
export const FIXED_INPUTS = {
  cloudflareApiToken: {
    name: "cloudflare_api_token",
    description: "Cloudflare API token with Zone:DNS:Edit, Account:Cloudflare Tunnel:Edit and Access:Edit",
    validation: [{ condition: "${length(var.cloudflare_api_token) >= 40}", errorMessage: "cloudflare_api_token looks truncated: Cloudflare API tokens are 40 characters or more." }],
  },
  cloudflareAccountId: {
    name: "cloudflare_account_id",
    description: "Cloudflare account id (32 hex characters, dashboard > account home > API)",
    validation: [{ condition: '${can(regex("^[0-9a-f]{32}$", var.cloudflare_account_id))}', errorMessage: "cloudflare_account_id must be 32 lowercase hex characters." }],
  },
  cloudflareZoneId: {
    name: "cloudflare_zone_id",
    description: "Cloudflare zone id of the homelab's domain (32 hex characters)",
    validation: [{ condition: '${can(regex("^[0-9a-f]{32}$", var.cloudflare_zone_id))}', errorMessage: "cloudflare_zone_id must be 32 lowercase hex characters." }],
  },
  accessAllowedEmails: {
    name: "access_allowed_emails",
    description: "Emails Cloudflare Access lets through to the admin surfaces (Portainer), before Authentik",
    type: "list(string)",
    validation: [{ condition: '${length(var.access_allowed_emails) > 0 && alltrue([for e in var.access_allowed_emails : can(regex("^[^@ ]+@[^@ ]+\\\\.[^@ ]+$", e))])}', errorMessage: "access_allowed_emails must list at least one valid email address." }],
  },
  hcloudToken: {
    name: "hcloud_token",
    description: "Hetzner Cloud API token (read & write) of the project that holds the VMs",
    validation: [{ condition: "${length(var.hcloud_token) == 64}", errorMessage: "hcloud_token must be exactly 64 characters (Hetzner Console > Security > API tokens)." }],
  },
  sshPublicKey: {
    name: "ssh_public_key",
    description: "OpenSSH public key of the deploy user on the created VMs",
    validation: [{ condition: '${can(regex("^(ssh-ed25519|ssh-rsa|ecdsa-sha2-nistp256|sk-ssh-ed25519@openssh.com) [A-Za-z0-9+/=]+", var.ssh_public_key))}', errorMessage: "ssh_public_key must be an OpenSSH public key line, e.g. \"ssh-ed25519 AAAA... you@laptop\"." }],
  },
  tailscaleAuthKey: {
    name: "tailscale_auth_key",
    description: "Tailscale auth key (pre-approved, tagged) the created VMs join the tailnet with",
    validation: [{ condition: '${startswith(var.tailscale_auth_key, "tskey-")}', errorMessage: "tailscale_auth_key must start with tskey- (admin console > Settings > Keys)." }],
  },
  backupS3Endpoint: {
    name: "backup_s3_endpoint",
    description: "S3 endpoint of the off-host backup repository, e.g. https://<account id>.r2.cloudflarestorage.com (Cloudflare R2)",
    validation: [{ condition: '${can(regex("^https://[^/ ]+$", var.backup_s3_endpoint))}', errorMessage: "backup_s3_endpoint must be an https:// URL with no path, e.g. https://<account id>.r2.cloudflarestorage.com." }],
  },
  backupS3Bucket: {
    name: "backup_s3_bucket",
    description: "Bucket of the backup repository (create it first; restic writes under <bucket>/<backup.repositoryPath>)",
    validation: [{ condition: '${can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.backup_s3_bucket))}', errorMessage: "backup_s3_bucket must be an S3 bucket name: 3-63 lowercase letters, digits, dots and hyphens." }],
  },
  backupS3AccessKeyId: {
    name: "backup_s3_access_key_id",
    description: "Access key id of an S3 API token with read and write on the backup bucket (R2: Manage R2 API tokens)",
    validation: [{ condition: "${length(var.backup_s3_access_key_id) >= 16}", errorMessage: "backup_s3_access_key_id looks truncated." }],
  },
  backupS3SecretAccessKey: {
    name: "backup_s3_secret_access_key",
    description: "Secret access key of that token",
    validation: [{ condition: "${length(var.backup_s3_secret_access_key) >= 32}", errorMessage: "backup_s3_secret_access_key looks truncated." }],
  },
} satisfies Record<string, InputDefinition>;

/** The Tailscale address a host gets; supplied after the host has joined the tailnet. */
export function tailscaleAddressInput(host: HostSpec): InputDefinition {
  const name = `tailscale_ip_${host.name.replace(/-/g, "_")}`;
  return {
    name,
    description: `Tailscale IPv4 address of ${host.name} (tailscale ip -4 on the host; 100.64.0.0/10)`,
    validation: [
      {
        condition: `\${can(cidrnetmask("\${var.${name}}/32")) && startswith(var.${name}, "100.") && tonumber(split(".", var.${name})[1]) >= 64 && tonumber(split(".", var.${name})[1]) <= 127}`,
        errorMessage: `${name} must be an address in Tailscale's 100.64.0.0/10 range.`,
      },
    ],
  };
}

/** Inputs a service declares as `secrets` with source "variable" (SMTP credentials...). */
export function serviceVariableInputs(spec: HomelabSpec): Map<string, InputDefinition> {
  const inputs = new Map<string, InputDefinition>();
  for (const svc of spec.services) {
    for (const secret of svc.secrets ?? []) {
      if (secret.source === "variable" && !inputs.has(secret.name)) {
        inputs.set(secret.name, { name: secret.name, description: secret.description });
      }
    }
  }
  return inputs;
}

/**
 * Declares Terraform variables on the stack that owns it, each the first time it is asked
 * for, so a stack lists only the inputs it really uses.
 */
export class HomelabInputs extends Construct {
  private readonly stack: TerraformStack;
  private readonly declared = new Map<string, TerraformVariable>();

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.stack = TerraformStack.of(this);
  }

  /** The variable for an input, declared on the stack (so its name is exactly `def.name`). */
  variable(def: InputDefinition): TerraformVariable {
    let variable = this.declared.get(def.name);
    if (!variable) {
      variable = new TerraformVariable(this.stack, def.name, {
        type: def.type ?? "string",
        description: def.description,
        sensitive: def.sensitive ?? true,
        nullable: false,
        validation: def.validation?.map((v) => ({ condition: v.condition, errorMessage: v.errorMessage })),
      });
      this.declared.set(def.name, variable);
    }
    return variable;
  }

  /** A string input's value, as a token. */
  string(def: InputDefinition): string {
    return this.variable(def).stringValue;
  }
}
