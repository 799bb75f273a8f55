import { isAbsolute } from "node:path";
import { stateBackendFromEnv } from "../../stacks/state-backend";
import { goodSpec } from "../fixtures/specs";
import { removeTempDirs, synthToDisk, SynthOutput } from "./helpers";

afterAll(removeTempDirs);

const S3_ENV = {
  KITESTACKS_STATE_BACKEND: "s3",
  KITESTACKS_STATE_BUCKET: "kitestacks-state",
  KITESTACKS_STATE_ENDPOINT: "https://0123456789abcdef0123456789abcdef.r2.cloudflarestorage.com",
};

/** Every terraform_remote_state data source of a stack. */
function remoteStates(json: any): any[] {
  return Object.values(json.data?.terraform_remote_state ?? {});
}

describe("stateBackendFromEnv", () => {
  it("defaults to local state", () => {
    expect(stateBackendFromEnv({})).toEqual({ kind: "local" });
    expect(stateBackendFromEnv({ KITESTACKS_STATE_BACKEND: "local", KITESTACKS_STATE_BUCKET: "ignored" })).toEqual({ kind: "local" });
  });

  it("reads an S3-compatible bucket, with R2 defaults", () => {
    expect(stateBackendFromEnv(S3_ENV)).toEqual({
      kind: "s3",
      bucket: "kitestacks-state",
      endpoint: S3_ENV.KITESTACKS_STATE_ENDPOINT,
      prefix: "kitestacks",
      region: "auto",
    });
    expect(stateBackendFromEnv({ ...S3_ENV, KITESTACKS_STATE_PREFIX: "homelab/prod", KITESTACKS_STATE_REGION: "eu-central-1" })).toEqual(
      expect.objectContaining({ prefix: "homelab/prod", region: "eu-central-1" }),
    );
  });

  it("names the backend variable when it is unknown", () => {
    expect(() => stateBackendFromEnv({ ...S3_ENV, KITESTACKS_STATE_BACKEND: "gcs" })).toThrow(/KITESTACKS_STATE_BACKEND: "gcs" is not a backend\. Fix: use "local" \(default\) or "s3"/);
  });

  it("names every missing or bad S3 setting at once", () => {
    const run = () => stateBackendFromEnv({ KITESTACKS_STATE_BACKEND: "s3" });
    expect(run).toThrow(/KITESTACKS_STATE_BUCKET: "" is not a bucket name/);
    expect(run).toThrow(/KITESTACKS_STATE_ENDPOINT: "" is not an https endpoint/);
    const bad = () =>
      stateBackendFromEnv({
        KITESTACKS_STATE_BACKEND: "s3",
        KITESTACKS_STATE_BUCKET: "Bad_Bucket",
        KITESTACKS_STATE_ENDPOINT: "http://r2.example.com",
        KITESTACKS_STATE_PREFIX: "/kitestacks/",
        KITESTACKS_STATE_REGION: "",
      });
    expect(bad).toThrow(/KITESTACKS_STATE_BUCKET: "Bad_Bucket" is not a bucket name/);
    expect(bad).toThrow(/KITESTACKS_STATE_ENDPOINT: "http:\/\/r2\.example\.com" is not an https endpoint/);
    expect(bad).toThrow(/KITESTACKS_STATE_PREFIX: "\/kitestacks\/" is not a key prefix/);
    expect(bad).toThrow(/KITESTACKS_STATE_REGION: "" is not a region/);
    expect(bad).toThrow(/have problems:\n( {2}- KITESTACKS_STATE_\w+: .*\n?){4}$/);
  });
});

describe("local state (the default)", () => {
  let out: SynthOutput;
  beforeAll(() => {
    out = synthToDisk(goodSpec);
  });

  it("keeps cdktf's absolute terraform.<stack>.tfstate per stack", () => {
    for (const [stack, json] of out.json) {
      const backend = json.terraform.backend;
      expect(Object.keys(backend)).toEqual(["local"]);
      expect(isAbsolute(backend.local.path)).toBe(true);
      expect(backend.local.path).toMatch(new RegExp(`/terraform\\.${stack}\\.tfstate$`));
    }
  });

  it("points every cross-stack remote state at the producing stack's state file", () => {
    const paths = new Map([...out.json].map(([stack, json]) => [json.terraform.backend.local.path as string, stack]));
    const monk = remoteStates(out.json.get("monk-docker"));
    expect(monk.length).toBeGreaterThan(0);
    for (const [stack, json] of out.json) {
      for (const remote of remoteStates(json)) {
        expect(remote.backend).toBe("local");
        expect(isAbsolute(remote.config.path)).toBe(true);
        expect(paths.get(remote.config.path)).toBeDefined();
        expect(paths.get(remote.config.path)).not.toBe(stack);
      }
    }
  });
});

describe("S3-compatible state", () => {
  let out: SynthOutput;
  beforeAll(() => {
    out = synthToDisk(goodSpec, stateBackendFromEnv({ ...S3_ENV, KITESTACKS_STATE_PREFIX: "homelab" }));
  });

  it("gives every stack its own key, path-style, lock file, no AWS checks", () => {
    expect(out.json.size).toBe(4);
    for (const [stack, json] of out.json) {
      expect(Object.keys(json.terraform.backend)).toEqual(["s3"]);
      expect(json.terraform.backend.s3).toEqual({
        bucket: "kitestacks-state",
        key: `homelab/${stack}.tfstate`,
        region: "auto",
        endpoints: { s3: S3_ENV.KITESTACKS_STATE_ENDPOINT },
        skip_credentials_validation: true,
        skip_region_validation: true,
        skip_requesting_account_id: true,
        skip_metadata_api_check: true,
        skip_s3_checksum: true,
        use_path_style: true,
        use_lockfile: true,
      });
    }
  });

  it("reads other stacks' outputs from their keys in the same bucket", () => {
    const monk = remoteStates(out.json.get("monk-docker"));
    expect(monk.length).toBeGreaterThan(0);
    for (const remote of monk) {
      expect(remote.backend).toBe("s3");
      expect(remote.config).toEqual(
        expect.objectContaining({ bucket: "kitestacks-state", key: expect.stringMatching(/^homelab\/(edge|kscloud1-vm|kscloud1-docker)\.tfstate$/) }),
      );
    }
  });
});
