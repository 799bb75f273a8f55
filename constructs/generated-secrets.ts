import { Bytes } from "@cdktf/provider-random/lib/bytes";
import { Password } from "@cdktf/provider-random/lib/password";
import { TerraformResource, TerraformStack } from "cdktf";
import { makeUniqueId } from "cdktf/lib/private/unique";
import { Construct } from "constructs";
import { HomelabSpec } from "../homelab/types";

export interface GeneratedSecretsProps {
  readonly spec: HomelabSpec;
}

/** Default length of generated database passwords and client secrets. */
const DEFAULT_LENGTH = 40;

/**
 * Every secret the homelab can generate, created once with the random provider.
 *
 * They live in one stack (the primary host's) and other stacks read them by cross-stack
 * reference: a shared database and an OIDC client must see the same value on every host.
 * Values exist only in Terraform state, never in code or in cdk.tf.json. Passwords have no
 * special characters so they survive env files, URLs and shells unquoted.
 */
export class GeneratedSecrets extends Construct {
  /** Each key's value: a password's result or random bytes' base64. */
  private readonly values = new Map<string, string>();

  constructor(scope: Construct, id: string, props: GeneratedSecretsProps) {
    super(scope, id);
    for (const svc of props.spec.services) {
      // A renamed service keeps its secrets (a new Authentik secret key or database password
      // would lock out what the data was made with): moved from the previous name's addresses.
      const previous = svc.formerNames?.[svc.formerNames.length - 1];
      const former = (keyOf: (service: string) => string) => (previous === undefined ? undefined : keyOf(previous));
      for (const secret of svc.secrets ?? []) {
        if (secret.source !== "generated") continue;
        const key = GeneratedSecrets.serviceKey(svc.name, secret.name);
        const from = former((s) => GeneratedSecrets.serviceKey(s, secret.name));
        if (secret.encoding === "base64") this.createBytes(key, secret.length ?? 32, from);
        else this.create(key, secret.length, from);
      }
      for (const db of svc.databases ?? []) {
        this.create(GeneratedSecrets.databaseKey(svc.name, db.name), undefined, former((s) => GeneratedSecrets.databaseKey(s, db.name)));
        if (db.engine === "mariadb") this.create(GeneratedSecrets.mariadbRootKey(svc.name, db.name), undefined, former((s) => GeneratedSecrets.mariadbRootKey(s, db.name)));
      }
      if (svc.sso.mode === "oidc") this.create(GeneratedSecrets.oidcKey(svc.name), 64, former(GeneratedSecrets.oidcKey));
    }
    if (props.spec.sharedPostgres) this.create(GeneratedSecrets.POSTGRES_SUPERUSER);
    // One restic repository for every host: one password, which only Terraform state holds.
    this.create(GeneratedSecrets.BACKUP_REPOSITORY_PASSWORD, 64);
  }

  /** Key of the restic repository password (every host's backup job). */
  static readonly BACKUP_REPOSITORY_PASSWORD = "backup-repository-password";

  /** Key of the shared Postgres superuser password. */
  static readonly POSTGRES_SUPERUSER = "shared-postgres-superuser";

  static serviceKey(service: string, secret: string): string {
    return `${service}-${secret}`;
  }

  static databaseKey(service: string, database: string): string {
    return `${service}-db-${database}`;
  }

  /** Root password of a service's per-host MariaDB (set at first start, used by nobody). */
  static mariadbRootKey(service: string, database: string): string {
    return `${service}-db-${database}-root`;
  }

  static oidcKey(service: string): string {
    return `${service}-oidc-client-secret`;
  }

  /** The generated value (a sensitive token) for a key made by the static helpers. */
  value(key: string): string {
    const value = this.values.get(key);
    if (value === undefined) throw new Error(`No generated secret ${JSON.stringify(key)}; declare it in the homelab spec`);
    return value;
  }

  private create(key: string, length = DEFAULT_LENGTH, former?: string): void {
    // The construct id is the key, so Terraform addresses stay stable as the spec grows.
    const password = new Password(this, key, { length, special: false });
    this.moveFrom(password, former);
    this.values.set(key, password.result);
  }

  /** `length` random bytes, standard base64 (the format of keys with a fixed decoded length). */
  private createBytes(key: string, length: number, former?: string): void {
    const bytes = new Bytes(this, key, { length });
    this.moveFrom(bytes, former);
    this.values.set(key, bytes.base64);
  }

  /** A `moved` block from the address the secret had under its former key (a renamed service). */
  private moveFrom(resource: TerraformResource, formerKey: string | undefined): void {
    if (formerKey === undefined) return;
    // The logical id cdktf gives a child `formerKey` of this construct: its path below the stack.
    const below = this.node.scopes.slice(TerraformStack.of(this).node.scopes.length).map((s) => s.node.id);
    resource.moveFromId(`${resource.terraformResourceType}.${makeUniqueId([...below, formerKey])}`);
  }
}
