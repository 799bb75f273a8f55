import { isLiteralSecret, isSecretName, mask, tokenShapeIn } from "../../policies/no-secret-literal";
import { primaryHost } from "../../homelab/derive";
import { goodSpec } from "../fixtures/specs";
import { check, findingsOf, freshHomelab, rawContainer, rawResource } from "./helpers";

const other = goodSpec.hosts.find((h) => h.name !== primaryHost(goodSpec).name)!.name;
// Assembled at run time so no credential-shaped literal sits in the repo.
const fakeTailscaleKey = ["tskey", "auth", "kFaKe1CNTRL", "x".repeat(20)].join("-");
const fakeHcloudToken = "Zq" + "9".repeat(30) + "Xy".repeat(16);

describe("no-secret-literal", () => {
  test("names: the last word decides, public keys and *_FILE/*_URL are not secrets", () => {
    for (const name of ["POSTGRES_PASSWORD", "PGPASSWORD", "KITE_ROLE_PASSWORD_0", "AUTHENTIK_SECRET_KEY", "apiToken", "tunnel_secret", "APP_KEY"]) {
      expect([name, isSecretName(name)]).toEqual([name, true]);
    }
    for (const name of ["TUNNEL_TOKEN_FILE", "GF_AUTH_GENERIC_OAUTH_TOKEN_URL", "ssh_public_key", "keep_locally", "DISABLE_PASSWORD_AUTH", "monkey"]) {
      expect([name, isSecretName(name)]).toEqual([name, false]);
    }
  });

  test("values: references and flags are fine, anything else is a literal", () => {
    expect(isLiteralSecret("${var.smtp_password}")).toBe(false);
    expect(isLiteralSecret("base64:${random_password.secrets_x.result}")).toBe(false);
    expect(isLiteralSecret("${data.terraform_remote_state.x.outputs.y}")).toBe(false);
    expect(isLiteralSecret("${sensitive(data.terraform_remote_state.x.outputs.y)}")).toBe(false);
    expect(isLiteralSecret("1")).toBe(false);
    expect(isLiteralSecret("true")).toBe(false);
    expect(isLiteralSecret("hunter22")).toBe(true);
    expect(isLiteralSecret("${local.password}")).toBe(true);
  });

  test("token shapes: Tailscale keys and Hetzner tokens, but not sha256 content hashes", () => {
    expect(tokenShapeIn(`TS_AUTHKEY=${fakeTailscaleKey}`)).toBe("Tailscale auth key");
    expect(tokenShapeIn(fakeHcloudToken)).toBe("Hetzner Cloud token");
    expect(tokenShapeIn("a3f".repeat(21) + "b")).toBeUndefined();
    expect(mask(fakeTailscaleKey)).not.toContain(fakeTailscaleKey.slice(8));
  });

  test("fails literal secrets in env, attributes, token shapes and variable defaults, without printing them", () => {
    const lab = freshHomelab();
    const stack = lab.stacks.hosts.get(other)!;
    rawContainer(stack, "leaky", {
      env: ["DB_PASSWORD=hunter22hunter22", "MARIADB_RANDOM_ROOT_PASSWORD=1", "API_URL=https://example.com/token"],
      labels: [{ label: "note", value: fakeTailscaleKey }],
    });
    rawResource(lab.stacks.edge, "leaky-attr", "example_thing", { api_token: "plain-text-token-value", config: { region: fakeHcloudToken } });
    stack.inputs.variable({ name: "legacy_secret", description: "x" }).addOverride("default", "letmein-please");
    const found = findingsOf(check(lab), "no-secret-literal");
    const lines = found.map((f) => `${f.address} ${f.problem}`);
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^docker_container\.leaky env\[0\] \(DB_PASSWORD\): DB_PASSWORD is a secret name with a literal value$/),
        expect.stringMatching(/^docker_container\.leaky labels\[0\]\.value: looks like a Tailscale auth key$/),
        expect.stringMatching(/^example_thing\.leaky-attr api_token: api_token is a secret name/),
        expect.stringMatching(/^example_thing\.leaky-attr config\.region: looks like a Hetzner Cloud token$/),
        expect.stringMatching(/^variable variable\.legacy_secret\.default: legacy_secret is a secret name/),
      ]),
    );
    expect(found).toHaveLength(5);
    const text = JSON.stringify(found);
    for (const secret of ["hunter22hunter22", fakeTailscaleKey, fakeHcloudToken, "letmein-please"]) expect(text).not.toContain(secret);
  });

  test("a secret passed as one of the container's files is checked through the file: a reference passes, a literal fails", () => {
    const lab = freshHomelab();
    const stack = lab.stacks.hosts.get(other)!;
    rawContainer(stack, "files", {
      env: ["DB_PASSWORD=/kitestacks/secrets/ok", "SECRET_KEY=file:///kitestacks/secrets/bad", "ADMIN_PASSWORD__FILE=/kitestacks/secrets/bad2"],
      upload: [
        { file: "/kitestacks/secrets/ok", content: "${random_password.db.result}" },
        { file: "/kitestacks/secrets/bad", content: "hunter22hunter22" },
        { file: "/kitestacks/secrets/bad2", content: "letmein-please" },
      ],
    });
    const lines = findingsOf(check(lab), "no-secret-literal").map((f) => `${f.address} ${f.problem}`);
    expect(lines).toEqual([
      "docker_container.files env[1] (SECRET_KEY): SECRET_KEY is a secret name with a literal value",
      "docker_container.files env[2] (ADMIN_PASSWORD__FILE): ADMIN_PASSWORD__FILE is a secret name with a literal value",
    ]);
  });

  test("a password inside a connection string fails; a reference in its place passes", () => {
    const lab = freshHomelab();
    const stack = lab.stacks.hosts.get(other)!;
    rawContainer(stack, "urls", {
      env: [
        "DATABASE_URL=postgres://app:hunter22hunter22@authentik-postgres:5432/app",
        "CACHE_URL=redis://default:${random_password.db.result}@cache:6379",
        "HOMEPAGE=https://example.com/login?next=/",
      ],
    });
    const found = findingsOf(check(lab), "no-secret-literal");
    expect(found.map((f) => `${f.address} ${f.problem}`)).toEqual([
      "docker_container.urls env[0]: holds a password inside a connection string (scheme://user:password@host)",
    ]);
    expect(JSON.stringify(found)).not.toContain("hunter22hunter22");
  });
});

