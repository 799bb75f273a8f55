import { S3Backend, TerraformStack } from "cdktf";

/** Where Terraform state lives: local files (the default) or an S3-compatible bucket. */
export type StateBackendConfig =
  | { readonly kind: "local" }
  | {
      readonly kind: "s3";
      readonly bucket: string;
      /** S3 endpoint, e.g. https://<account id>.r2.cloudflarestorage.com for Cloudflare R2. */
      readonly endpoint: string;
      /** Key prefix: state of stack X is `<prefix>/X.tfstate`. */
      readonly prefix: string;
      /** @default "auto" (what R2 expects) */
      readonly region: string;
    };

/**
 * Reads the backend choice from the environment. Nothing secret is read here: the bucket
 * credentials reach Terraform as AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY at plan time.
 */
export function stateBackendFromEnv(env: NodeJS.ProcessEnv): StateBackendConfig {
  const kind = env.KITESTACKS_STATE_BACKEND ?? "local";
  if (kind === "local") return { kind: "local" };
  const problems: string[] = [];
  if (kind !== "s3") {
    problems.push(`KITESTACKS_STATE_BACKEND: ${JSON.stringify(kind)} is not a backend. Fix: use "local" (default) or "s3".`);
  }
  const bucket = env.KITESTACKS_STATE_BUCKET ?? "";
  const endpoint = env.KITESTACKS_STATE_ENDPOINT ?? "";
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket)) {
    problems.push(`KITESTACKS_STATE_BUCKET: ${JSON.stringify(bucket)} is not a bucket name. Fix: set the R2/S3 bucket that holds the state.`);
  }
  if (!/^https:\/\/[^\s/]+$/.test(endpoint)) {
    problems.push(`KITESTACKS_STATE_ENDPOINT: ${JSON.stringify(endpoint)} is not an https endpoint. Fix: set e.g. https://<account id>.r2.cloudflarestorage.com.`);
  }
  const prefix = env.KITESTACKS_STATE_PREFIX ?? "kitestacks";
  const region = env.KITESTACKS_STATE_REGION ?? "auto";
  // An empty or slash-edged prefix would give keys like "/edge.tfstate" or "a//edge.tfstate".
  if (!/^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/.test(prefix)) {
    problems.push(`KITESTACKS_STATE_PREFIX: ${JSON.stringify(prefix)} is not a key prefix. Fix: use path segments without leading or trailing slashes, e.g. kitestacks or homelab/prod.`);
  }
  if (!/^[a-z0-9-]+$/.test(region)) {
    problems.push(`KITESTACKS_STATE_REGION: ${JSON.stringify(region)} is not a region. Fix: leave it unset for R2 ("auto") or set the bucket's region, e.g. eu-central-1.`);
  }
  if (problems.length > 0) throw new Error(`The state backend settings have problems:\n  - ${problems.join("\n  - ")}`);
  return { kind: "s3", bucket, endpoint, prefix, region };
}

/**
 * Applies the backend to a stack. The local default keeps cdktf's absolute
 * `<project>/terraform.<stack>.tfstate`, which cross-stack remote-state lookups resolve.
 */
export function applyStateBackend(stack: TerraformStack, name: string, config: StateBackendConfig): void {
  if (config.kind === "local") return;
  new S3Backend(stack, {
    bucket: config.bucket,
    key: `${config.prefix}/${name}.tfstate`,
    region: config.region,
    endpoints: { s3: config.endpoint },
    skipCredentialsValidation: true,
    skipRegionValidation: true,
    skipRequestingAccountId: true,
    skipMetadataApiCheck: true,
    skipS3Checksum: true,
    usePathStyle: true,
  });
  // cdktf 0.21 has no useLockfile; Terraform >= 1.10 locks with a lock object next to the state.
  stack.addOverride("terraform.backend.s3.use_lockfile", true);
}
