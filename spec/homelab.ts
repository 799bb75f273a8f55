import { HomelabSpec, ServiceEnvContext } from "./types";

/**
 * The KiteStacks homelab: the one place where a host or a service is declared.
 *
 * Source: the owner's architecture decisions (../shared/seed/architecture-decisions.md) and
 * ../shared/reference/homelab.md. Image tags are pinned; renovate.json keeps them current.
 */

const domain = "kitestacks.com";
const adminGroup = "homelab-admin";

/** `https://<name>.<domain>` hostnames, so the domain is written once. */
const at = (label: string): string => `${label}.${domain}`;

/** Shared Authentik settings for the server and its worker (one env for both containers). */
function authentikEnv(ctx: ServiceEnvContext): Record<string, string> {
  const db = ctx.database("authentik");
  return {
    AUTHENTIK_POSTGRESQL__HOST: db.host,
    AUTHENTIK_POSTGRESQL__PORT: String(db.port),
    AUTHENTIK_POSTGRESQL__NAME: db.name,
    AUTHENTIK_POSTGRESQL__USER: db.user,
    AUTHENTIK_POSTGRESQL__PASSWORD: db.password,
    // The same key on every host: sessions and signed tokens must verify everywhere.
    AUTHENTIK_SECRET_KEY: ctx.secret("secret_key"),
    AUTHENTIK_BOOTSTRAP_PASSWORD: ctx.secret("bootstrap_password"),
    AUTHENTIK_BOOTSTRAP_EMAIL: ctx.secret("admin_email"),
    AUTHENTIK_ERROR_REPORTING__ENABLED: "false",
    AUTHENTIK_EMAIL__HOST: ctx.secret("smtp_host"),
    AUTHENTIK_EMAIL__PORT: "587",
    AUTHENTIK_EMAIL__USE_TLS: "true",
    AUTHENTIK_EMAIL__USERNAME: ctx.secret("smtp_username"),
    AUTHENTIK_EMAIL__PASSWORD: ctx.secret("smtp_password"),
    AUTHENTIK_EMAIL__FROM: ctx.secret("smtp_username"),
  };
}

/**
 * Name of Forgejo's OIDC authentication source: Forgejo puts it in its callback path
 * (`/user/oauth2/<name>/callback`), so the redirect URI and the source are derived from it.
 */
const forgejoAuthName = "authentik";

/** Pinned curl image for API steps against apps whose image has no shell (Portainer). */
const curlImage = "curlimages/curl:8.17.0";

/** Where Portainer reads its first admin password (written at container creation). */
const portainerAdminPasswordFile = "/kitestacks/admin-password";

/**
 * Shell function for post-start steps: `wait_for <url> <tries> <seconds>` polls until the URL
 * answers 2xx, or fails the step.
 */
const waitFor = `wait_for() {
  n=0
  until curl -fsS -o /dev/null "$1"; do
    n=$((n + 1))
    if [ "$n" -ge "$2" ]; then echo "gave up waiting for $1" >&2; return 1; fi
    sleep "$3"
  done
}`;

/** The metrics API's port, shared by its container and the portal's proxy. */
const metricsPort = 8000;

/** The homelab admin's email: Authentik's first admin and OSTicket's admin. */
const adminEmail = {
  name: "admin_email",
  source: "variable",
  description: "Email of the homelab admin (Authentik akadmin, OSTicket admin)",
} as const;

/** SMTP credentials a person supplies (a Gmail app password in the owner's setup). */
const smtpSecrets = [
  { name: "smtp_host", source: "variable", description: "SMTP server, e.g. smtp.gmail.com" },
  { name: "smtp_username", source: "variable", description: "SMTP login and sender address" },
  { name: "smtp_password", source: "variable", description: "SMTP password (a Gmail app password)" },
] as const;

export const kitestacks: HomelabSpec = {
  domain,
  adminGroup,
  tunnelName: "kitestacks",
  cloudflaredImage: "cloudflare/cloudflared:2025.11.1",
  mariadbImage: "mariadb:11.4.8",
  dockerNetwork: { name: "kitestacks", subnet: "172.30.0.0/24", gateway: "172.30.0.1" },

  hosts: [
    {
      name: "monk",
      description: "Home server (ThinkPad T14s) behind home NAT; the development host",
      provisioning: { kind: "existing" },
      sshUser: "deploy",
    },
    {
      name: "kscloud1",
      description: "Hetzner Cloud VM: always-live replica and home of the shared Postgres",
      provisioning: {
        kind: "hcloud",
        serverType: "cx23",
        image: "debian-13",
        location: "nbg1",
        backups: true,
        tailscaleTags: ["tag:server"],
      },
      sshUser: "deploy",
    },
  ],

  sharedPostgres: {
    host: "kscloud1",
    image: "postgres:16.11-bookworm",
    containerName: "authentik-postgres",
    memoryMb: 1024,
  },

  services: [
    {
      name: "portal",
      title: "KiteStacks",
      description: "The front page: every service, live host stats, weather and git activity",
      icon: "🪁",
      image: { build: "portal" },
      port: 8080,
      hostnames: [domain, at("www")],
      hosts: "all",
      state: "stateless",
      sso: { mode: "none" },
      portalCard: false,
      env: (ctx) => ({ METRICS_UPSTREAM: `${ctx.dockerGateway}:${metricsPort}` }),
      healthcheck: { test: ["CMD", "wget", "-qO-", "http://127.0.0.1:8080/healthz"] },
      memoryMb: 64,
    },
    {
      name: "metrics",
      title: "Metrics API",
      description: "Host CPU, memory and network, weather and Forgejo activity for the portal",
      icon: "📈",
      image: { build: "metrics" },
      port: metricsPort,
      hosts: "all",
      state: "stateless",
      sso: { mode: "none" },
      // psutil-style host stats need the host's namespaces (decisions: network_mode/pid host).
      hostNamespaces: true,
      bindMounts: [{ hostPath: "/", containerPath: "/host", readOnly: true }],
      env: (ctx) => ({
        // Host networking: bind only the kitestacks bridge gateway, where the portal's nginx
        // reaches it; nothing else on the host network can.
        HOST: ctx.dockerGateway,
        PORT: String(metricsPort),
        PROC_ROOT: "/proc",
        SYS_ROOT: "/sys",
        DISK_PATH: "/host",
        HOSTNAME_OVERRIDE: ctx.host.name,
        WEATHER_LATITUDE: "29.42",
        WEATHER_LONGITUDE: "-98.49",
        FORGEJO_API_BASE: `${ctx.publishedUrl("forgejo")}/api/v1`,
        // Whose pushes the portal shows (the owner's account on the forge).
        FORGEJO_USER: "kenpat",
      }),
      healthcheck: {
        test: ["CMD", "node", "-e", "fetch('http://'+process.env.HOST+':'+process.env.PORT+'/api/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"],
      },
      memoryMb: 128,
    },
    {
      name: "authentik",
      title: "Authentik",
      description: "Single sign-on for every app",
      icon: "🔐",
      image: { ref: "ghcr.io/goauthentik/server:2026.2.2" },
      port: 9000,
      hostnames: [at("auth")],
      hosts: "all",
      state: "shared",
      sso: { mode: "identity-provider" },
      databases: [{ engine: "shared-postgres", name: "authentik", user: "authentik" }],
      volumes: [
        { name: "data", mountPath: "/data" },
        { name: "templates", mountPath: "/templates" },
      ],
      secrets: [
        { name: "secret_key", source: "generated", length: 60 },
        { name: "bootstrap_password", source: "generated", length: 32 },
        adminEmail,
        ...smtpSecrets,
      ],
      command: ["server"],
      env: authentikEnv,
      healthcheck: { test: ["CMD", "ak", "healthcheck"], startPeriod: "60s" },
      memoryMb: 1024,
      companions: [
        {
          name: "worker",
          command: ["worker"],
          volumes: [
            { name: "data", mountPath: "/data" },
            { name: "templates", mountPath: "/templates" },
            { name: "certs", mountPath: "/certs" },
          ],
          healthcheck: { test: ["CMD", "ak", "healthcheck"], startPeriod: "60s" },
          memoryMb: 768,
        },
      ],
    },
    {
      name: "forgejo",
      title: "Forgejo",
      description: "Git forge for the homelab's code, configs and docs",
      icon: "🦊",
      image: { ref: "codeberg.org/forgejo/forgejo:11.0.7" },
      port: 3000,
      hostnames: [at("gitforge")],
      hosts: "all",
      state: "shared",
      stateNote:
        "Database shared on kscloud1; repository files under /data stay on each host, so a push reaches only the host that served it until mirrored",
      sso: { mode: "oidc", redirectPaths: [`/user/oauth2/${forgejoAuthName}/callback`] },
      databases: [{ engine: "shared-postgres", name: "forgejo", user: "forgejo" }],
      volumes: [{ name: "data", mountPath: "/data" }],
      secrets: [
        { name: "secret_key", source: "generated", length: 64 },
        { name: "internal_token", source: "generated", length: 105 },
        { name: "jwt_secret", source: "generated", length: 43 },
      ],
      env: (ctx) => {
        const db = ctx.database("forgejo");
        return {
          USER_UID: "1000",
          USER_GID: "1000",
          FORGEJO__database__DB_TYPE: "postgres",
          FORGEJO__database__HOST: `${db.host}:${db.port}`,
          FORGEJO__database__NAME: db.name,
          FORGEJO__database__USER: db.user,
          FORGEJO__database__PASSWD: db.password,
          FORGEJO__server__DOMAIN: at("gitforge"),
          FORGEJO__server__ROOT_URL: `${ctx.publicUrl}/`,
          FORGEJO__server__DISABLE_SSH: "true",
          // Every host signs and verifies with the same keys: one forge behind two connectors.
          FORGEJO__security__SECRET_KEY: ctx.secret("secret_key"),
          FORGEJO__security__INTERNAL_TOKEN: ctx.secret("internal_token"),
          FORGEJO__security__INSTALL_LOCK: "true",
          FORGEJO__oauth2__JWT_SECRET: ctx.secret("jwt_secret"),
          FORGEJO__service__DISABLE_REGISTRATION: "false",
          FORGEJO__service__ALLOW_ONLY_EXTERNAL_REGISTRATION: "true",
          FORGEJO__openid__ENABLE_OPENID_SIGNIN: "false",
        };
      },
      // Forgejo keeps auth sources in its (shared) database and offers no env for them: the
      // admin CLI adds the source once, or updates it by id, on every host.
      postStart: (ctx) => [
        {
          description: "OIDC authentication source for Authentik",
          user: "git",
          env: {
            FORGEJO_AUTH_NAME: forgejoAuthName,
            OIDC_CLIENT_ID: ctx.oidc!.clientId,
            OIDC_CLIENT_SECRET: ctx.oidc!.clientSecret,
            OIDC_DISCOVERY_URL: ctx.oidc!.wellKnownUrl,
            OIDC_ADMIN_GROUP: adminGroup,
          },
          shell: String.raw`set -eu
n=0
until forgejo admin auth list >/dev/null 2>&1; do
  n=$((n + 1))
  if [ "$n" -ge 60 ]; then echo "forgejo admin CLI not ready" >&2; exit 1; fi
  sleep 5
done
id=$(forgejo admin auth list | awk -v name="$FORGEJO_AUTH_NAME" 'NR > 1 && $2 == name { print $1 }')
set -- --name "$FORGEJO_AUTH_NAME" --provider openidConnect --key "$OIDC_CLIENT_ID" --secret "$OIDC_CLIENT_SECRET" \
  --auto-discover-url "$OIDC_DISCOVERY_URL" --scopes openid --scopes email --scopes profile \
  --group-claim-name groups --admin-group "$OIDC_ADMIN_GROUP"
if [ -n "$id" ]; then
  forgejo admin auth update-oauth --id "$id" "$@"
else
  forgejo admin auth add-oauth "$@"
fi`,
        },
      ],
      // Tailscale-only: the metrics API (host network) reads Forgejo's activity here.
      hostPorts: [{ containerPort: 3000, hostPort: 3006, bind: "tailscale", reason: "Forgejo API for the metrics API and git over the tailnet" }],
      healthcheck: { test: ["CMD", "wget", "-qO-", "http://127.0.0.1:3000/api/healthz"] },
      memoryMb: 512,
    },
    {
      name: "bookstack",
      title: "BookStack",
      description: "Wiki: shelves, books, chapters and pages",
      icon: "📚",
      image: { ref: "lscr.io/linuxserver/bookstack:version-v25.07.2" },
      port: 80,
      hostnames: [at("wiki")],
      hosts: "all",
      state: "per-host",
      stateNote: "BookStack needs MySQL/MariaDB, so each host keeps its own database; pages written on one host do not appear on the other",
      sso: { mode: "oidc", redirectPaths: ["/oidc/callback"] },
      databases: [{ engine: "mariadb", name: "bookstack", user: "bookstack" }],
      volumes: [{ name: "config", mountPath: "/config" }],
      secrets: [{ name: "app_key", source: "generated", length: 32 }],
      env: (ctx) => {
        const db = ctx.database("bookstack");
        return {
          PUID: "1000",
          PGID: "1000",
          APP_URL: ctx.publicUrl ?? "",
          APP_KEY: `base64:${ctx.secret("app_key")}`,
          DB_HOST: db.host,
          DB_PORT: String(db.port),
          DB_DATABASE: db.name,
          DB_USERNAME: db.user,
          DB_PASSWORD: db.password,
          AUTH_METHOD: "oidc",
          OIDC_NAME: "Authentik",
          OIDC_DISPLAY_NAME_CLAIMS: "name",
          OIDC_CLIENT_ID: ctx.oidc!.clientId,
          OIDC_CLIENT_SECRET: ctx.oidc!.clientSecret,
          // BookStack compares this with the discovered issuer exactly: keep Authentik's trailing slash.
          OIDC_ISSUER: ctx.oidc!.issuer,
          OIDC_ISSUER_DISCOVER: "true",
          OIDC_END_SESSION_ENDPOINT: "true",
        };
      },
      postStart: () => [
        {
          description: "cache directory writable by abc",
          shell: "mkdir -p /config/www/framework/cache && chown -R abc:users /config/www/framework/cache",
          user: "root",
        },
      ],
      healthcheck: { test: ["CMD", "curl", "-fsS", "-o", "/dev/null", "http://127.0.0.1:80/status"], startPeriod: "90s" },
      memoryMb: 512,
    },
    {
      name: "osticket",
      title: "Help Desk",
      description: "OSTicket: tickets and tasks, with email",
      icon: "🎫",
      image: { ref: "osticket/osticket:1.18.1" },
      port: 80,
      hostnames: [at("tasks")],
      hosts: "all",
      state: "per-host",
      stateNote: "OSTicket needs MySQL/MariaDB, so each host keeps its own tickets",
      sso: { mode: "none" },
      databases: [{ engine: "mariadb", name: "osticket", user: "osticket" }],
      secrets: [
        { name: "install_secret", source: "generated", length: 32 },
        { name: "admin_password", source: "generated", length: 24 },
        adminEmail,
        ...smtpSecrets,
      ],
      env: (ctx) => {
        const db = ctx.database("osticket");
        return {
          MYSQL_HOST: db.host,
          MYSQL_DATABASE: db.name,
          MYSQL_USER: db.user,
          MYSQL_PASSWORD: db.password,
          INSTALL_SECRET: ctx.secret("install_secret"),
          INSTALL_URL: ctx.publicUrl ?? "",
          ADMIN_EMAIL: ctx.secret("admin_email"),
          ADMIN_PASSWORD: ctx.secret("admin_password"),
          SMTP_HOST: ctx.secret("smtp_host"),
          SMTP_PORT: "587",
          SMTP_TLS: "1",
          SMTP_USER: ctx.secret("smtp_username"),
          SMTP_FROM: ctx.secret("smtp_username"),
          SMTP_PASSWORD: ctx.secret("smtp_password"),
        };
      },
      healthcheck: { test: ["CMD", "wget", "-qO-", "http://127.0.0.1:80/"], startPeriod: "120s" },
      memoryMb: 256,
    },
    {
      name: "grafana",
      title: "Grafana",
      description: "Dashboards",
      icon: "📊",
      image: { ref: "grafana/grafana:12.3.0" },
      port: 3000,
      hostnames: [at("grafana")],
      hosts: "all",
      state: "per-host",
      stateNote: "Dashboards live in each host's Grafana database",
      sso: { mode: "oidc", redirectPaths: ["/login/generic_oauth"] },
      volumes: [{ name: "data", mountPath: "/var/lib/grafana" }],
      secrets: [{ name: "admin_password", source: "generated", length: 24 }],
      env: (ctx) => ({
        GF_SERVER_ROOT_URL: `${ctx.publicUrl}/`,
        GF_SECURITY_ADMIN_PASSWORD: ctx.secret("admin_password"),
        GF_ANALYTICS_REPORTING_ENABLED: "false",
        GF_AUTH_GENERIC_OAUTH_ENABLED: "true",
        GF_AUTH_GENERIC_OAUTH_NAME: "Authentik",
        GF_AUTH_GENERIC_OAUTH_CLIENT_ID: ctx.oidc!.clientId,
        GF_AUTH_GENERIC_OAUTH_CLIENT_SECRET: ctx.oidc!.clientSecret,
        GF_AUTH_GENERIC_OAUTH_SCOPES: "openid profile email",
        GF_AUTH_GENERIC_OAUTH_AUTH_URL: ctx.oidc!.authorizeUrl,
        GF_AUTH_GENERIC_OAUTH_TOKEN_URL: ctx.oidc!.tokenUrl,
        GF_AUTH_GENERIC_OAUTH_API_URL: ctx.oidc!.userinfoUrl,
        GF_AUTH_SIGNOUT_REDIRECT_URL: ctx.oidc!.endSessionUrl,
        GF_AUTH_GENERIC_OAUTH_ROLE_ATTRIBUTE_PATH: `contains(groups, '${adminGroup}') && 'Admin' || 'Viewer'`,
        GF_AUTH_OAUTH_AUTO_LOGIN: "true",
      }),
      healthcheck: { test: ["CMD", "wget", "-qO-", "http://127.0.0.1:3000/api/health"] },
      memoryMb: 256,
    },
    {
      name: "kavita",
      title: "Kavita",
      description: "Books, comics and manga reader",
      icon: "📖",
      image: { ref: "jvmilazz0/kavita:0.8.8" },
      port: 5000,
      hostnames: [at("kavita")],
      hosts: "all",
      state: "per-host",
      stateNote: "Library and reading progress are per host (accepted in the decisions: uptime over consistency)",
      sso: { mode: "oidc", redirectPaths: ["/signin-oidc", "/signout-callback-oidc"] },
      volumes: [
        { name: "config", mountPath: "/kavita/config" },
        { name: "library", mountPath: "/library" },
      ],
      secrets: [{ name: "admin_password", source: "generated", length: 24 }, adminEmail],
      // Kavita (0.8.8) takes OIDC settings only through its settings API, reads the authority,
      // client id and secret only at startup, and checks the authority's discovery document on
      // save. The step claims the first admin account (so nobody else can on a fresh host),
      // rewrites just the OIDC fields of the current settings and restarts Kavita.
      postStart: (ctx) => [
        {
          description: "OIDC settings through the Kavita API",
          env: {
            KAVITA_ADMIN_USER: "admin",
            KAVITA_ADMIN_PASSWORD: ctx.secret("admin_password"),
            KAVITA_ADMIN_EMAIL: ctx.secret("admin_email"),
            OIDC_AUTHORITY: ctx.oidc!.issuer,
            OIDC_DISCOVERY_URL: ctx.oidc!.wellKnownUrl,
            OIDC_CLIENT_ID: ctx.oidc!.clientId,
            OIDC_CLIENT_SECRET: ctx.oidc!.clientSecret,
          },
          restartAfter: true,
          shell: String.raw`set -eu
${waitFor}
base=http://127.0.0.1:5000
wait_for "$base/api/health" 60 5
wait_for "$OIDC_DISCOVERY_URL" 60 10
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
umask 077
printf '{"username":"%s","password":"%s","email":"%s"}' "$KAVITA_ADMIN_USER" "$KAVITA_ADMIN_PASSWORD" "$KAVITA_ADMIN_EMAIL" > "$tmp/login.json"
# Registration is open only while Kavita has no user; afterwards this fails and login decides.
curl -sS -o /dev/null -X POST -H 'Content-Type: application/json' --data @"$tmp/login.json" "$base/api/account/register" || true
token=$(curl -fsS -X POST -H 'Content-Type: application/json' --data @"$tmp/login.json" "$base/api/account/login" | sed -n 's/.*"token":"\([^"]*\)".*/\1/p')
if [ -z "$token" ]; then echo "Kavita admin login failed" >&2; exit 1; fi
printf 'Authorization: Bearer %s\n' "$token" > "$tmp/auth"
curl -fsS -H @"$tmp/auth" "$base/api/settings" > "$tmp/settings.json"
printf 's#"authority":(null|"[^"]*")#"authority":"%s"#\ns#"clientId":(null|"[^"]*")#"clientId":"%s"#\ns#"secret":(null|"[^"]*")#"secret":"%s"#\ns#"provisionAccounts":(true|false)#"provisionAccounts":true#\ns#"requireVerifiedEmail":(true|false)#"requireVerifiedEmail":false#\n' \
  "$OIDC_AUTHORITY" "$OIDC_CLIENT_ID" "$OIDC_CLIENT_SECRET" > "$tmp/oidc.sed"
sed -E -f "$tmp/oidc.sed" "$tmp/settings.json" > "$tmp/new.json"
if ! grep -qF "\"authority\":\"$OIDC_AUTHORITY\"" "$tmp/new.json" || ! grep -qF "\"clientId\":\"$OIDC_CLIENT_ID\"" "$tmp/new.json" || ! grep -q '"secret":"' "$tmp/new.json"; then
  echo "Kavita settings lack oidcConfig authority/clientId/secret: check the settings API of this Kavita version" >&2
  exit 1
fi
curl -fsS -o /dev/null -X POST -H @"$tmp/auth" -H 'Content-Type: application/json' --data @"$tmp/new.json" "$base/api/settings"`,
        },
      ],
      healthcheck: { test: ["CMD", "curl", "-fsS", "-o", "/dev/null", "http://127.0.0.1:5000/api/health"] },
      memoryMb: 512,
    },
    {
      name: "karakeep",
      title: "Karakeep",
      description: "Bookmarks and read-later",
      icon: "🔖",
      image: { ref: "ghcr.io/karakeep-app/karakeep:0.28.0" },
      port: 3000,
      hostnames: [at("links")],
      hosts: "all",
      state: "per-host",
      stateNote: "Bookmarks are per host (accepted in the decisions: uptime over consistency)",
      sso: { mode: "oidc", redirectPaths: ["/api/auth/callback/custom"] },
      volumes: [{ name: "data", mountPath: "/data" }],
      secrets: [{ name: "nextauth_secret", source: "generated", length: 48 }],
      env: (ctx) => ({
        DATA_DIR: "/data",
        NEXTAUTH_URL: ctx.publicUrl ?? "",
        NEXTAUTH_SECRET: ctx.secret("nextauth_secret"),
        OAUTH_CLIENT_ID: ctx.oidc!.clientId,
        OAUTH_CLIENT_SECRET: ctx.oidc!.clientSecret,
        OAUTH_WELLKNOWN_URL: ctx.oidc!.wellKnownUrl,
        OAUTH_PROVIDER_NAME: "Authentik",
        OAUTH_ALLOW_DANGEROUS_EMAIL_ACCOUNT_LINKING: "true",
        DISABLE_PASSWORD_AUTH: "true",
      }),
      healthcheck: { test: ["CMD", "wget", "-qO-", "http://127.0.0.1:3000/api/health"] },
      memoryMb: 512,
    },
    {
      name: "open-webui",
      title: "Open WebUI",
      description: "Chat with local and hosted models",
      icon: "🤖",
      image: { ref: "ghcr.io/open-webui/open-webui:v0.6.36" },
      port: 8080,
      hostnames: [at("ai")],
      hosts: "all",
      state: "per-host",
      stateNote: "Chats and settings are per host",
      sso: { mode: "oidc", redirectPaths: ["/oauth/oidc/callback"] },
      volumes: [{ name: "data", mountPath: "/app/backend/data" }],
      secrets: [{ name: "webui_secret_key", source: "generated", length: 48 }],
      env: (ctx) => ({
        WEBUI_URL: ctx.publicUrl ?? "",
        WEBUI_SECRET_KEY: ctx.secret("webui_secret_key"),
        ENABLE_OAUTH_SIGNUP: "true",
        ENABLE_LOGIN_FORM: "false",
        OAUTH_MERGE_ACCOUNTS_BY_EMAIL: "true",
        OAUTH_PROVIDER_NAME: "Authentik",
        OAUTH_CLIENT_ID: ctx.oidc!.clientId,
        OAUTH_CLIENT_SECRET: ctx.oidc!.clientSecret,
        OPENID_PROVIDER_URL: ctx.oidc!.wellKnownUrl,
        OPENID_REDIRECT_URI: ctx.oidc!.redirectUris[0],
        OAUTH_SCOPES: "openid email profile",
      }),
      healthcheck: { test: ["CMD", "curl", "-fsS", "-o", "/dev/null", "http://127.0.0.1:8080/health"], startPeriod: "120s" },
      memoryMb: 1536,
    },
    {
      name: "portainer",
      title: "Portainer",
      description: "Docker management (homelab-admin only)",
      icon: "🐳",
      image: { ref: "portainer/portainer-ce:2.33.3" },
      port: 9000,
      hostnames: [at("portainer")],
      hosts: "all",
      state: "per-host",
      stateNote: "Each Portainer manages the Docker engine of its own host",
      sso: { mode: "oidc", redirectPaths: ["/"], restrictToGroup: adminGroup },
      adminSurface: true,
      volumes: [{ name: "data", mountPath: "/data" }],
      bindMounts: [{ hostPath: "/var/run/docker.sock", containerPath: "/var/run/docker.sock", readOnly: false }],
      secrets: [{ name: "admin_password", source: "generated", length: 24 }],
      // The first admin exists from the start (no five-minute setup window open to anyone); the
      // file is written at creation, so the password never appears in a command line.
      command: ["--admin-password-file", portainerAdminPasswordFile],
      files: (ctx) => [{ path: portainerAdminPasswordFile, content: ctx.secret("admin_password") }],
      // Portainer takes OAuth settings only through its API, and its image has no shell: a pinned
      // curl sidecar in its network namespace logs in as admin and PUTs them (idempotent).
      // Who may log in at all is decided by Authentik's policy binding (restrictToGroup).
      postStart: (ctx) => [
        {
          description: "OAuth settings through the Portainer API",
          image: curlImage,
          env: {
            PORTAINER_ADMIN_PASSWORD: ctx.secret("admin_password"),
            OIDC_CLIENT_ID: ctx.oidc!.clientId,
            OIDC_CLIENT_SECRET: ctx.oidc!.clientSecret,
            OIDC_AUTHORIZE_URL: ctx.oidc!.authorizeUrl,
            OIDC_TOKEN_URL: ctx.oidc!.tokenUrl,
            OIDC_USERINFO_URL: ctx.oidc!.userinfoUrl,
            OIDC_LOGOUT_URL: ctx.oidc!.endSessionUrl,
            OIDC_REDIRECT_URI: ctx.oidc!.redirectUris[0],
          },
          shell: String.raw`set -eu
${waitFor}
base=http://127.0.0.1:9000
wait_for "$base/api/system/status" 60 3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
umask 077
printf '{"Username":"admin","Password":"%s"}' "$PORTAINER_ADMIN_PASSWORD" > "$tmp/login.json"
jwt=$(curl -fsS -X POST -H 'Content-Type: application/json' --data @"$tmp/login.json" "$base/api/auth" | sed -n 's/.*"jwt":"\([^"]*\)".*/\1/p')
if [ -z "$jwt" ]; then echo "Portainer admin login failed" >&2; exit 1; fi
printf 'Authorization: Bearer %s\n' "$jwt" > "$tmp/auth"
printf '{"AuthenticationMethod":3,"OAuthSettings":{"ClientID":"%s","ClientSecret":"%s","AuthorizationURI":"%s","AccessTokenURI":"%s","ResourceURI":"%s","LogoutURI":"%s","RedirectURI":"%s","UserIdentifier":"preferred_username","Scopes":"openid profile email","OAuthAutoCreateUsers":true,"DefaultTeamID":0,"SSO":true}}' \
  "$OIDC_CLIENT_ID" "$OIDC_CLIENT_SECRET" "$OIDC_AUTHORIZE_URL" "$OIDC_TOKEN_URL" "$OIDC_USERINFO_URL" "$OIDC_LOGOUT_URL" "$OIDC_REDIRECT_URI" > "$tmp/settings.json"
curl -fsS -o /dev/null -X PUT -H @"$tmp/auth" -H 'Content-Type: application/json' --data @"$tmp/settings.json" "$base/api/settings"`,
        },
      ],
      healthcheck: { test: ["CMD", "/docker", "version"], interval: "60s" },
      memoryMb: 256,
    },
  ],
};
