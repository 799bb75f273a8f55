import { ServiceSpec } from "../../types";
import { at } from "../../settings";

export const bookstack: ServiceSpec = {
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
};
