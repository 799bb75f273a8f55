import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { resourcesOf, repoRoot, synthHomelab } from "../helpers/synth";
import { stepScript } from "../../homelab/scripts";

/**
 * Post-start steps and provisioning scripts are real files: each passes shellcheck and `sh -n`,
 * as a file and as the text a step really runs (shared functions prepended), and the two that
 * speak an app's HTTP API and edit JSON run with the real curl and jq against a stand-in of that
 * API inside their own network namespace.
 */

const root = join(repoRoot);

function shellFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === "node_modules" ? [] : shellFiles(path);
    return name.endsWith(".sh") ? [path] : [];
  });
}

const scriptFiles = [...shellFiles(join(root, "homelab")), ...shellFiles(join(root, "constructs"))];

function shellcheck(path: string): { status: number | null; out: string } {
  const r = spawnSync("shellcheck", ["--shell=sh", "--severity=style", path], { encoding: "utf8" });
  return { status: r.status, out: r.stdout + r.stderr };
}

function shN(path: string): { status: number | null; out: string } {
  const r = spawnSync("sh", ["-n", path], { encoding: "utf8" });
  return { status: r.status, out: r.stdout + r.stderr };
}

/**
 * Every step script the synthesized stacks run (the KITE_STEP_SCRIPT of each local-exec); the
 * pids limits (one `docker update` each, no script: __tests__/workloads/pids-limit.test.ts) aside.
 */
function synthesizedSteps(): { id: string; script: string }[] {
  const lab = synthHomelab();
  return [...lab.stacks.hosts.values()].flatMap((stack) =>
    Object.entries(resourcesOf(lab.json(stack), "terraform_data")).filter(([, r]: [string, any]) => r.triggers_replace?.pids_limit === undefined).flatMap(([id, r]: [string, any]) =>
      (r.provisioner ?? []).map((p: any) => ({ id: `${stack.node.id}/${id}`, script: (p["local-exec"].environment.KITE_STEP_SCRIPT ?? p["local-exec"].environment.KITE_PROVISION_SH) as string })),
    ),
  );
}

describe("step and provisioning scripts", () => {
  const tmp = mkdtempSync(join(tmpdir(), "aud-steps-"));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  test("the steps' scripts are files: Forgejo, BookStack (2), Kavita, Portainer (2), the shared wait_for, the shared Postgres job", () => {
    expect(scriptFiles.map((f) => relative(root, f)).sort()).toEqual(expect.arrayContaining([
      "constructs/shared-postgres.provision.sh",
      "homelab/services/bookstack/admin-role.sh",
      "homelab/services/bookstack/cache-owner.sh",
      "homelab/services/forgejo/auth-source.sh",
      "homelab/services/kavita/oidc-settings.sh",
      "homelab/services/lib/wait-for.sh",
      "homelab/services/portainer/agent-environments.sh",
      "homelab/services/portainer/oauth-settings.sh",
    ]));
  });

  test.each(scriptFiles.map((f) => [relative(root, f), f]))("%s passes shellcheck and sh -n", (_name, path) => {
    expect(shellcheck(path)).toEqual({ status: 0, out: "" });
    expect(shN(path)).toEqual({ status: 0, out: "" });
  });

  test("every synthesized step runs a script made from those files, and the text it runs passes shellcheck and sh -n", () => {
    const steps = synthesizedSteps();
    // Each homed service's steps run on its home only: Forgejo, BookStack (2), Kavita, Portainer (2).
    expect(steps.length).toBeGreaterThanOrEqual(6);
    const contents = scriptFiles.map((f) => readFileSync(f, "utf8"));
    for (const [i, step] of steps.entries()) {
      expect({ id: step.id, fromFile: contents.some((c) => step.script.endsWith(c)) }).toEqual({ id: step.id, fromFile: true });
      const path = join(tmp, `step-${i}.sh`);
      writeFileSync(path, step.script);
      expect({ id: step.id, ...shellcheck(path) }).toEqual({ id: step.id, status: 0, out: "" });
      expect({ id: step.id, ...shN(path) }).toEqual({ id: step.id, status: 0, out: "" });
    }
  });

  test("no script holds ${ or %{: the text travels in Terraform strings, which would interpolate them", () => {
    for (const f of [...scriptFiles, join(root, "constructs/shared-postgres.provision.sql")]) {
      expect({ file: relative(root, f), interpolation: /[$%]\{/.test(readFileSync(f, "utf8")) }).toEqual({ file: relative(root, f), interpolation: false });
    }
  });
});

interface Recorded {
  key: string;
  authorization: string | null;
  contentType: string | null;
  body: any;
  jsonError: string | null;
}

/**
 * Runs `script` with the real sh, curl and jq in a fresh network namespace (`unshare -n`), where
 * a stand-in API listens on 127.0.0.1:<port>: nothing outside the namespace is reachable or
 * disturbed. Returns the script's exit status and every request the stand-in recorded.
 */
function runAgainstFake(port: number, routes: object, script: string, env: Record<string, string>) {
  const dir = mkdtempSync(join(tmpdir(), "aud-fake-"));
  try {
    writeFileSync(join(dir, "routes.json"), JSON.stringify(routes));
    writeFileSync(join(dir, "step.sh"), script);
    writeFileSync(join(dir, "record.jsonl"), "");
    const driver = [
      "set -u",
      "ip link set lo up",
      'node "$FAKE_APP" "$FAKE_PORT" "$FAKE_DIR/routes.json" "$FAKE_DIR/record.jsonl" & pid=$!',
      "n=0",
      'until grep -q listening "$FAKE_DIR/record.jsonl"; do n=$((n + 1)); [ "$n" -gt 200 ] && exit 99; sleep 0.05; done',
      'sh "$FAKE_DIR/step.sh"; rc=$?',
      'kill "$pid"',
      'exit "$rc"',
    ].join("\n");
    const r = spawnSync("unshare", ["-n", "sh", "-c", driver], {
      encoding: "utf8",
      timeout: 60_000,
      env: { PATH: process.env.PATH!, FAKE_APP: join(__dirname, "fake-app.js"), FAKE_PORT: String(port), FAKE_DIR: dir, ...env },
    });
    const requests: Recorded[] = readFileSync(join(dir, "record.jsonl"), "utf8")
      .split("\n")
      .filter(Boolean)
      .map((l) => JSON.parse(l))
      .filter((r) => r.key !== "listening");
    return { status: r.status, stderr: r.stderr, requests };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Secrets with every character that breaks hand-built JSON. */
const awkwardSecret = `p"a\\s's$w{o}r\td`;

describe("Portainer's OAuth step against a stand-in Portainer API", () => {
  const oidc = {
    OIDC_CLIENT_ID: "portainer-client",
    OIDC_CLIENT_SECRET: awkwardSecret,
    OIDC_AUTHORIZE_URL: "https://auth.example.test/application/o/authorize/",
    OIDC_TOKEN_URL: "https://auth.example.test/application/o/token/",
    OIDC_USERINFO_URL: "https://auth.example.test/application/o/userinfo/",
    OIDC_LOGOUT_URL: "https://auth.example.test/application/o/portainer/end-session/",
    OIDC_REDIRECT_URI: "https://portainer.example.test/",
  };
  const routes = {
    "GET /api/system/status": { body: { Version: "2.33.3" } },
    "POST /api/auth": { body: { jwt: "jwt-123" }, expectJson: true },
    "PUT /api/settings": { bearer: "jwt-123", expectJson: true, body: {} },
  };
  const script = stepScript(join(root, "homelab/services/portainer"), "oauth-settings.sh", ["wait-for.sh"]);

  test("logs in as admin and PUTs OAuth settings with Portainer's field names, valid JSON for any secret", () => {
    const run = runAgainstFake(9000, routes, script, { PORTAINER_ADMIN_PASSWORD: awkwardSecret, ...oidc });
    expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: "" });
    const auth = run.requests.find((r) => r.key === "POST /api/auth")!;
    // api/http/handler/auth/authenticate.go authenticatePayload
    expect(auth.body).toEqual({ Username: "admin", Password: awkwardSecret });
    const put = run.requests.find((r) => r.key === "PUT /api/settings")!;
    expect(put.authorization).toBe("Bearer jwt-123");
    expect(put.contentType).toBe("application/json");
    // api/http/handler/settings/settings_update.go settingsUpdatePayload, api/portainer.go OAuthSettings
    expect(put.body).toEqual({
      AuthenticationMethod: 3,
      OAuthSettings: {
        ClientID: oidc.OIDC_CLIENT_ID,
        ClientSecret: awkwardSecret,
        AuthorizationURI: oidc.OIDC_AUTHORIZE_URL,
        AccessTokenURI: oidc.OIDC_TOKEN_URL,
        ResourceURI: oidc.OIDC_USERINFO_URL,
        LogoutURI: oidc.OIDC_LOGOUT_URL,
        RedirectURI: oidc.OIDC_REDIRECT_URI,
        UserIdentifier: "preferred_username",
        // api/oauth/oauth.go splits on ","
        Scopes: "openid,profile,email",
        OAuthAutoCreateUsers: true,
        DefaultTeamID: 0,
        SSO: true,
      },
    });
  });

  test("fails, saving nothing, when the admin login returns no jwt", () => {
    const run = runAgainstFake(9000, { ...routes, "POST /api/auth": { body: { message: "Invalid credentials" } } }, script, {
      PORTAINER_ADMIN_PASSWORD: "wrong",
      ...oidc,
    });
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain("Portainer admin login failed");
    expect(run.requests.map((r) => r.key)).not.toContain("PUT /api/settings");
  });
});

describe("Kavita's OIDC step against a stand-in Kavita API", () => {
  const issuer = "https://auth.example.test/application/o/kavita/";
  const env = {
    KAVITA_ADMIN_USER: "admin",
    KAVITA_ADMIN_PASSWORD: awkwardSecret,
    KAVITA_ADMIN_EMAIL: "admin@example.test",
    OIDC_AUTHORITY: issuer,
    // The stand-in serves discovery too; the real step waits for Authentik's.
    OIDC_DISCOVERY_URL: "http://127.0.0.1:5000/.well-known/openid-configuration",
    OIDC_CLIENT_ID: "kavita-client",
    OIDC_CLIENT_SECRET: awkwardSecret,
  };
  // The shape of GET /api/settings: ServerSettingDto with oidcConfig (API/DTOs/Settings/OidcConfigDto.cs).
  const settings = {
    cacheDirectory: "/kavita/config/cache",
    taskScan: "daily",
    port: 5000,
    hostName: "",
    smtpConfig: { host: "", port: 25, userName: "", password: "" },
    oidcConfig: {
      authority: "",
      clientId: "",
      secret: "",
      provisionAccounts: false,
      requireVerifiedEmail: true,
      syncUserSettings: false,
      rolesPrefix: "",
      rolesClaim: "http://schemas.microsoft.com/ws/2008/06/identity/claims/role",
      customScopes: [],
      defaultRoles: [],
      defaultLibraries: [],
      defaultAgeRestriction: 0,
      defaultIncludeUnknowns: false,
      autoLogin: false,
      disablePasswordAuthentication: false,
    },
  };
  const routes = {
    "GET /api/health": { body: {} },
    "GET /.well-known/openid-configuration": { body: { issuer } },
    "POST /api/account/register": { expectJson: true, body: {} },
    "POST /api/account/login": { expectJson: true, body: { username: "admin", token: "tok-1", roles: ["Admin"] } },
    "GET /api/settings": { bearer: "tok-1", body: settings },
    "POST /api/settings": { bearer: "tok-1", expectJson: true, body: {} },
  };
  const script = stepScript(join(root, "homelab/services/kavita"), "oidc-settings.sh", ["wait-for.sh"]);

  test("claims the admin account, then changes only the OIDC fields of the current settings", () => {
    const run = runAgainstFake(5000, routes, script, env);
    expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: "" });
    const keys = run.requests.map((r) => r.key);
    expect(keys.indexOf("POST /api/account/register")).toBeLessThan(keys.indexOf("POST /api/account/login"));
    const login = run.requests.find((r) => r.key === "POST /api/account/login")!;
    expect(login.body).toEqual({ username: "admin", password: awkwardSecret, email: "admin@example.test" });
    const saved = run.requests.find((r) => r.key === "POST /api/settings")!;
    expect(saved.authorization).toBe("Bearer tok-1");
    expect(saved.body).toEqual({
      ...settings,
      oidcConfig: {
        ...settings.oidcConfig,
        // Kavita accepts it only when equal to the discovered issuer (SettingsService.IsValidAuthority).
        authority: issuer,
        clientId: "kavita-client",
        secret: awkwardSecret,
        provisionAccounts: true,
        requireVerifiedEmail: false,
      },
    });
  });

  test("refuses to save when this Kavita's settings have no oidcConfig", () => {
    const { oidcConfig: _gone, ...older } = settings;
    const run = runAgainstFake(5000, { ...routes, "GET /api/settings": { bearer: "tok-1", body: older } }, script, env);
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain("no oidcConfig object");
    expect(run.requests.map((r) => r.key)).not.toContain("POST /api/settings");
  });
});
