import { ServiceSpec } from "../../types";
import { adminGroup, at } from "../../settings";
import { stepScript } from "../../scripts";

export const bookstack: ServiceSpec = {
  name: "bookstack",
  title: "BookStack",
  description: "Wiki: shelves, books, chapters and pages",
  icon: "📚",
  image: { ref: "lscr.io/linuxserver/bookstack:version-v25.07.2" },
  port: 80,
  hostnames: [at("wiki")],
  placement: {
    mode: "homed",
    home: "kscloud1",
    reason:
      "MySQL/MariaDB only, and Laravel keeps sessions, OIDC state and CSRF in files by default: one copy; the wiki is small and should answer while the owner travels, so the always-on host",
    tailnetPort: 6875,
  },
  state: "per-host",
  stateNote: "Pages, uploads and sessions in its MariaDB and /config volume on its home host",
  sso: { mode: "oidc", redirectPaths: ["/oidc/callback"] },
  databases: [{ engine: "mariadb", name: "bookstack", user: "bookstack" }],
  volumes: [{ name: "config", mountPath: "/config" }],
  // linuxserver's s6-overlay runs as root (linuxserver/docker-bookstack v25.07.2-ls221 on
  // docker-baseimage-alpine-nginx 3.22): init-adduser re-ids abc (usermod) and `lsiown`s /app,
  // /config, /defaults (CHOWN, FOWNER for the modes), init-bookstack-config `lsiown -R abc:abc`,
  // root's queue worker (svc-queue-worker: `php artisan queue:work`, no setuidgid) writes abc's
  // files (DAC_OVERRIDE); nginx and php-fpm masters switch workers to abc and memcached `-u abc`
  // (SETUID, SETGID); s6-supervise, nginx and php-fpm signal those abc children (KILL); nginx binds
  // port 80 as root (NET_BIND_SERVICE). The cache-owner step's chown needs CHOWN too.
  capabilities: { add: ["CHOWN", "DAC_OVERRIDE", "FOWNER", "KILL", "NET_BIND_SERVICE", "SETGID", "SETUID"] },
  // Laravel's AES-256-CBC needs a 32-byte key; `base64:` + base64 is how it reads one
  // (laravel/framework src/Illuminate/Encryption/Encrypter.php supported(), EncryptionServiceProvider::parseKey).
  secrets: [{ name: "app_key", source: "generated", length: 32, encoding: "base64" }],
  env: (ctx) => {
    const db = ctx.database("bookstack");
    return {
      PUID: "1000",
      PGID: "1000",
      APP_URL: ctx.publicUrl ?? "",
      // linuxserver's `FILE__<NAME>` prefix: the s6 init (docker-baseimage-alpine
      // root/etc/s6-overlay/s6-rc.d/init-envfile/run) sets NAME from the file, as root.
      FILE__APP_KEY: ctx.secretFile("app-key", `base64:${ctx.secret("app_key")}`, "root"),
      DB_HOST: db.host,
      DB_PORT: String(db.port),
      DB_DATABASE: db.name,
      DB_USERNAME: db.user,
      FILE__DB_PASSWORD: ctx.secretFile("db-password", db.password, "root"),
      AUTH_METHOD: "oidc",
      OIDC_NAME: "Authentik",
      OIDC_DISPLAY_NAME_CLAIMS: "name",
      OIDC_CLIENT_ID: ctx.oidc!.clientId,
      FILE__OIDC_CLIENT_SECRET: ctx.secretFile("oidc-client-secret", ctx.oidc!.clientSecret, "root"),
      // BookStack compares this with the discovered issuer exactly: keep Authentik's trailing slash.
      OIDC_ISSUER: ctx.oidc!.issuer,
      OIDC_ISSUER_DISCOVER: "true",
      OIDC_END_SESSION_ENDPOINT: "true",
      // Roles follow Authentik groups at each login, so homelab-admin members are Admins
      // (BookStack app/Config/oidc.php user_to_groups, groups_claim). Not removing unmatched
      // roles: everyone else has no group, and removal would take their registration role.
      OIDC_USER_TO_GROUPS: "true",
      OIDC_GROUPS_CLAIM: "groups",
    };
  },
  postStart: () => [
    {
      description: "cache directory writable by abc",
      shell: stepScript(__dirname, "cache-owner.sh"),
      user: "root",
    },
    {
      description: "Admin role mapped to the homelab admin group",
      env: { OIDC_ADMIN_GROUP: adminGroup },
      shell: stepScript(__dirname, "admin-role.sh"),
    },
  ],
  healthcheck: { test: ["CMD", "curl", "-fsS", "-o", "/dev/null", "http://127.0.0.1:80/status"], startPeriod: "90s" },
  memoryMb: 512,
};
