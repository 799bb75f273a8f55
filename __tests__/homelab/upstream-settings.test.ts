import { randomBytes } from "node:crypto";
import { MARIADB_PORT } from "../../constructs/hosted-service";
import { kitestacks } from "../../homelab/homelab";
import { hostsRunning } from "../../homelab/placement";
import { adminGroup, jsonStepImage } from "../../homelab/settings";
import { ServiceSpec } from "../../homelab/types";
import { resourcesOf, synthHomelab, TerraformJson } from "../helpers/synth";
import { containerNamed, envOf, resolveCrossStack } from "../workloads/cross-stack";

/**
 * The settings docs/upstream-audit.md found important, asserted on the synthesized containers
 * of every host: names and value formats upstream reads, key lengths, the binaries healthchecks
 * call, and the extras upstream's compose sets.
 */

const spec = kitestacks;
const lab = synthHomelab(spec);
const stacks = [...lab.stacks.hosts.values()];
const stackJson = new Map<string, TerraformJson>(
  [lab.stacks.edge, ...lab.stacks.vms.values(), ...stacks].map((s) => [s.node.id, lab.json(s)]),
);
const svc = (name: string): ServiceSpec => spec.services.find((s) => s.name === name)!;
const repositoryOf = (ref: string) => ref.slice(0, ref.lastIndexOf(":"));

/**
 * The setting an app reads from a file: `FILE__NAME` (linuxserver's s6 init), `NAME__FILE`
 * (Forgejo's environment-to-ini) or `NAME_FILE` (the Postgres/MariaDB/Grafana convention) names a
 * file uploaded into the container; the app sees NAME set to that file's content.
 */
function fileSettings(body: Record<string, any>, env: Record<string, string>): Record<string, string> {
  const uploads = new Map<string, string>(((body.upload ?? []) as { file: string; content?: string }[]).map((u) => [u.file, u.content ?? ""]));
  const read: Record<string, string> = {};
  for (const [key, path] of Object.entries(env)) {
    const name = key.startsWith("FILE__") ? key.slice("FILE__".length) : key.endsWith("__FILE") ? key.slice(0, -"__FILE".length) : key.endsWith("_FILE") ? key.slice(0, -"_FILE".length) : undefined;
    if (name && uploads.has(path) && env[name] === undefined) read[name] = resolveCrossStack(uploads.get(path)!, stackJson);
  }
  return read;
}

/**
 * The service's own container on each host that runs it (not the forwarders that stand in for a
 * homed service under its name elsewhere), with its env resolved across stacks and the settings
 * it reads from uploaded files filled in under their plain names.
 */
function containers(name: string): { host: string; body: Record<string, any>; env: Record<string, string> }[] {
  const service = spec.services.find((s) => s.name === name);
  const running = service ? hostsRunning(spec, service) : stacks.map((s) => s.host.name);
  return stacks
    .filter((s) => running.includes(s.host.name))
    .filter((s) => Object.values(resourcesOf(lab.json(s), "docker_container")).some((c) => c.name === name))
    .map((s) => {
      const body = containerNamed(lab.json(s), name);
      const env = Object.fromEntries(Object.entries(envOf(body)).map(([k, v]) => [k, resolveCrossStack(v, stackJson)]));
      return { host: s.node.id, body, env: { ...env, ...fileSettings(body, env) } };
    });
}

/** The resource a `${type.id.attr}` expression points at, in whichever stack holds it. */
function resourceOf(expression: string): { type: string; body: Record<string, any>; attribute: string } {
  const m = /\$\{(random_[a-z_]+)\.([A-Za-z0-9_-]+)\.([a-z0-9_]+)\}/.exec(expression);
  if (!m) throw new Error(`not a random resource reference: ${expression}`);
  for (const json of stackJson.values()) {
    const body = json.resource?.[m[1]]?.[m[2]];
    if (body) return { type: m[1], body, attribute: m[3] };
  }
  throw new Error(`no ${m[1]}.${m[2]} in any stack`);
}

/**
 * Laravel's key handling, as laravel/framework (10 to 12) does it:
 * EncryptionServiceProvider::parseKey strips `base64:` and base64-decodes the rest;
 * Encrypter::supported wants mb_strlen($key, '8bit') === 32 for aes-256-cbc.
 */
function laravelKeyBytes(appKey: string): number {
  const key = appKey.startsWith("base64:") ? Buffer.from(appKey.slice("base64:".length), "base64") : Buffer.from(appKey, "utf8");
  return key.length;
}

/** A value of the given random_password as the provider makes it (special = false: letters and digits). */
function alphanumeric(length: number): string {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  return [...randomBytes(length)].map((b) => alphabet[b % alphabet.length]).join("");
}

/**
 * Binaries each image has, from docs/upstream-audit.md (the image's Dockerfile or base):
 * what a healthcheck may call.
 */
const IMAGE_BINARIES: Record<string, readonly string[]> = {
  "ghcr.io/goauthentik/server": ["ak"],
  "codeberg.org/forgejo/forgejo": ["wget", "curl"],
  "lscr.io/linuxserver/bookstack": ["curl", "jq"],
  "ppcm/osticket-server": ["wget"],
  "grafana/grafana": ["wget"],
  "jvmilazz0/kavita": ["curl"],
  "ghcr.io/karakeep-app/karakeep": ["wget"],
  "ghcr.io/open-webui/open-webui": ["curl"],
  "portainer/portainer-ce": ["/docker"],
  "postgres": ["pg_isready"],
  "mariadb": ["healthcheck.sh"],
  "cloudflare/cloudflared": ["cloudflared"],
  // Built here: portal (nginx-unprivileged alpine, busybox wget), metrics (node alpine).
  "kitestacks/portal": ["wget"],
  "kitestacks/metrics": ["node"],
  // The forwarders' nginx (the portal's base): Alpine, busybox wget.
  "nginxinc/nginx-unprivileged": ["wget"],
  // Portainer's agent: portainer/agent build/linux/alpine.Dockerfile copies dist/docker to /app/.
  "portainer/agent": ["/app/docker"],
  // backup/image/Dockerfile: restic's Alpine image, busybox pgrep.
  "kitestacks/backup-image": ["pgrep"],
};

describe("BookStack: the key Laravel can use, and an admin who can administer it", () => {
  const bookstacks = containers("bookstack");

  test("APP_KEY is base64: + the base64 of 32 random bytes on every host (one value)", () => {
    expect(bookstacks.length).toBe(hostsRunning(spec, svc(bookstacks[0]?.body.name ?? "")).length);
    const keys = new Set(bookstacks.map((b) => b.env.APP_KEY));
    expect(keys.size).toBe(1);
    const [appKey] = keys;
    expect(appKey).toMatch(/^base64:\$\{random_bytes\.[^.]+\.base64\}$/);
    const ref = resourceOf(appKey.slice("base64:".length));
    expect({ type: ref.type, attribute: ref.attribute, length: ref.body.length }).toEqual({ type: "random_bytes", attribute: "base64", length: 32 });
    // The provider's base64 attribute is the standard base64 of `length` bytes.
    const value = `base64:${randomBytes(ref.body.length).toString("base64")}`;
    expect(laravelKeyBytes(value)).toBe(32);
  });

  test("the old format (base64: + 32 alphanumerics) decodes to 24 bytes, which AES-256-CBC rejects", () => {
    expect(laravelKeyBytes(`base64:${alphanumeric(32)}`)).toBe(24);
  });

  test("groups sync roles at login, and the Admin role answers to the homelab admin group", () => {
    for (const b of bookstacks) {
      expect(b.env).toMatchObject({ AUTH_METHOD: "oidc", OIDC_USER_TO_GROUPS: "true", OIDC_GROUPS_CLAIM: "groups", OIDC_ISSUER_DISCOVER: "true" });
      expect(b.env.OIDC_REMOVE_FROM_GROUPS).toBeUndefined();
      for (const name of ["DB_HOST", "DB_PORT", "DB_DATABASE", "DB_USERNAME", "DB_PASSWORD", "APP_URL"]) expect(b.env[name]).toBeTruthy();
    }
    const steps = svc("bookstack").postStart!({ secret: () => "x", oidc: {} } as any);
    const role = steps.find((s) => s.description.startsWith("Admin role"))!;
    expect(role.env).toEqual({ OIDC_ADMIN_GROUP: adminGroup });
    expect(role.shell).toContain("UPDATE roles SET external_auth_id = '$OIDC_ADMIN_GROUP' WHERE system_name = 'admin'");
    expect(steps.find((s) => s.description.startsWith("cache"))!.shell).toContain("chown -R abc:abc /config/www/framework/cache");
  });
});

describe("Forgejo: keys every host shares, in the format Forgejo keeps", () => {
  test("JWT_SECRET is 43 letters and digits: valid base64url that decodes to the 32 bytes DecodeJwtSecret requires", () => {
    const forgejos = containers("forgejo");
    expect(forgejos.length).toBe(hostsRunning(spec, svc(forgejos[0]?.body.name ?? "")).length);
    const secrets = new Set(forgejos.map((f) => f.env.FORGEJO__oauth2__JWT_SECRET));
    expect(secrets.size).toBe(1);
    const ref = resourceOf([...secrets][0]);
    expect({ type: ref.type, length: ref.body.length, special: ref.body.special }).toEqual({ type: "random_password", length: 43, special: false });
    // Go's base64.RawURLEncoding (not Strict) takes any 43 characters of its alphabet as 32 bytes.
    const sample = alphanumeric(ref.body.length);
    expect(sample).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(Buffer.from(sample, "base64url").length).toBe(32);
    for (const f of forgejos) {
      expect(f.env).toMatchObject({ FORGEJO__database__DB_TYPE: "postgres", FORGEJO__security__INSTALL_LOCK: "true" });
      for (const name of ["FORGEJO__security__SECRET_KEY", "FORGEJO__security__INTERNAL_TOKEN", "FORGEJO__server__ROOT_URL"]) expect(f.env[name]).toBeTruthy();
    }
  });
});

describe("Authentik: what upstream's 2026.2.2 compose sets", () => {
  test("server and worker get 512 MB of /dev/shm and the PostgreSQL/secret-key names", () => {
    for (const name of ["authentik", "authentik-worker"]) {
      const found = containers(name);
      expect(found.length).toBe(stacks.length);
      for (const c of found) {
        expect({ name, shm: c.body.shm_size }).toEqual({ name, shm: 512 });
        for (const key of ["AUTHENTIK_POSTGRESQL__HOST", "AUTHENTIK_POSTGRESQL__NAME", "AUTHENTIK_POSTGRESQL__USER", "AUTHENTIK_POSTGRESQL__PASSWORD", "AUTHENTIK_SECRET_KEY"]) {
          expect(c.env[key]).toBeTruthy();
        }
      }
    }
  });
});

describe("OSTicket: an image that exists at 1.18.1, and the names its installer reads", () => {
  test("ppcm/osticket-server with SMTP_HOSTNAME (not SMTP_HOST), its two volumes and MariaDB on 3306", () => {
    const found = containers("osticket");
    expect(found.length).toBe(hostsRunning(spec, svc("osticket")).length);
    expect(svc("osticket").image).toEqual({ ref: "ppcm/osticket-server:1.18.1-4" });
    for (const o of found) {
      expect(o.env.SMTP_HOST).toBeUndefined();
      for (const name of ["MYSQL_HOST", "MYSQL_DATABASE", "MYSQL_USER", "MYSQL_PASSWORD", "INSTALL_SECRET", "INSTALL_URL", "INSTALL_EMAIL", "ADMIN_EMAIL", "ADMIN_PASSWORD", "SMTP_HOSTNAME", "SMTP_USER", "SMTP_FROM"]) {
        expect({ name, set: Boolean(o.env[name]) }).toEqual({ name, set: true });
      }
      expect(o.env.ADMIN_USERNAME).toBe("ostadmin");
      expect(o.body.volumes.map((v: { container_path: string }) => v.container_path).sort()).toEqual(["/config", "/data"]);
    }
    // install.php connects to 3306 whatever MYSQL_PORT says.
    expect(MARIADB_PORT).toBe(3306);
  });
});

describe("JSON-editing steps run in the pinned curl+jq helper", () => {
  test("Kavita and Portainer use it; it is pinned to a LinuxServer baseimage-alpine build", () => {
    expect(jsonStepImage).toMatch(/^ghcr\.io\/linuxserver\/baseimage-alpine:3\.22-[0-9a-f]{8}-ls\d+$/);
    for (const name of ["kavita", "portainer"]) {
      const steps = svc(name).postStart!({ secret: () => "x", oidc: { redirectUris: ["x"] }, agentHosts: [] } as any);
      expect({ name, images: [...new Set(steps.map((s) => s.image))] }).toEqual({ name, images: [jsonStepImage] });
      for (const s of steps) expect({ name, sed: /\bsed\b/.test(s.shell), jq: /\bjq\b/.test(s.shell) }).toEqual({ name, sed: false, jq: true });
    }
  });
});

describe("healthchecks call binaries their images have", () => {
  test("every container on every host", () => {
    let checked = 0;
    for (const stack of stacks) {
      for (const c of Object.values(resourcesOf(lab.json(stack), "docker_container"))) {
        const test: string[] | undefined = c.healthcheck?.[0]?.test ?? c.healthcheck?.test;
        if (!test) continue;
        const label = (c.labels as { label: string; value: string }[]).find((l) => l.label === "org.opencontainers.image.ref.name")!;
        const repo = repositoryOf(label.value);
        const binary = test[0] === "CMD-SHELL" ? test[1].split(/\s+/)[0] : test[1];
        expect({ container: c.name, repo, binary, known: IMAGE_BINARIES[repo]?.includes(binary) ?? false }).toEqual({
          container: c.name,
          repo,
          binary,
          known: true,
        });
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(20);
  });
});
