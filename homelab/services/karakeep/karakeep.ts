import { ServiceSpec } from "../../types";
import { at } from "../../settings";

export const karakeep: ServiceSpec = {
  name: "karakeep",
  title: "Karakeep",
  description: "Bookmarks and read-later",
  icon: "🔖",
  image: { ref: "ghcr.io/karakeep-app/karakeep:0.28.0" },
  port: 3000,
  hostnames: [at("links")],
  placement: {
    mode: "homed",
    home: "kscloud1",
    reason: "SQLite only (the session JWT names a user id the other host's database lacks): one copy; bookmarks are saved from anywhere, also while travelling, so the always-on host",
    tailnetPort: 3002,
  },
  state: "per-host",
  stateNote: "Bookmarks, users and assets in /data on its home host",
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
};
