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
  // s6-overlay as root, no user switch (karakeep-app/karakeep v0.28.0 docker/Dockerfile
  // ENTRYPOINT /init; docker/root/etc/s6-overlay/s6-rc.d/*/run exec node as root), on port 3000.
  // The Next.js server's files are node's (`COPY --chown=node:node .../.next/standalone`), and it
  // writes its cache under .next as root: DAC_OVERRIDE, nothing else.
  capabilities: { add: ["DAC_OVERRIDE"] },
  secrets: [{ name: "nextauth_secret", source: "generated", length: 48 }],
  env: (ctx) => ({
    DATA_DIR: "/data",
    NEXTAUTH_URL: ctx.publicUrl ?? "",
    NEXTAUTH_SECRET: ctx.secret("nextauth_secret"),
    OAUTH_CLIENT_ID: ctx.oidc!.clientId,
    OAUTH_CLIENT_SECRET: ctx.oidc!.clientSecret,
    OAUTH_WELLKNOWN_URL: ctx.oidc!.wellKnownUrl,
    OAUTH_PROVIDER_NAME: "Authentik",
    // Off: linking by email would let whoever holds an address in Authentik take over the Karakeep
    // account with that address, and Authentik does not prove addresses (its default email
    // mapping sends email_verified false since 2025.10; users may edit their email). With
    // password login disabled every account is created by OIDC, so there is nothing to link.
    OAUTH_ALLOW_DANGEROUS_EMAIL_ACCOUNT_LINKING: "false",
    DISABLE_PASSWORD_AUTH: "true",
  }),
  healthcheck: { test: ["CMD", "wget", "-qO-", "http://127.0.0.1:3000/api/health"] },
  memoryMb: 512,
};
