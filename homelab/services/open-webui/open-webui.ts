import { ServiceSpec } from "../../types";
import { at } from "../../settings";

export const openWebui: ServiceSpec = {
  name: "open-webui",
  title: "Open WebUI",
  description: "Chat with local and hosted models",
  icon: "🤖",
  image: { ref: "ghcr.io/open-webui/open-webui:v0.6.36" },
  port: 8080,
  hostnames: [at("ai")],
  placement: {
    mode: "homed",
    home: "monk",
    reason:
      "Several replicas would need Postgres, Redis websockets, a shared data volume and an external vector DB: one copy; it needs 1.5 GB and sits next to the local models, so monk (away while the owner travels)",
    tailnetPort: 8081,
  },
  state: "per-host",
  stateNote: "Chats, users and settings in /app/backend/data on its home host",
  sso: { mode: "oidc", redirectPaths: ["/oauth/oidc/callback"] },
  volumes: [{ name: "data", mountPath: "/app/backend/data" }],
  // None: the image runs as `$UID` (default 0) over files it chowns to that uid at build
  // (open-webui/open-webui Dockerfile `ARG UID=0`, `chown -R $UID:$GID /app $HOME`,
  // `USER $UID:$GID`, CMD start.sh), switches no user and listens on 8080.
  capabilities: { add: [] },
  secrets: [{ name: "webui_secret_key", source: "generated", length: 48 }],
  env: (ctx) => ({
    WEBUI_URL: ctx.publicUrl ?? "",
    WEBUI_SECRET_KEY: ctx.secret("webui_secret_key"),
    ENABLE_OAUTH_SIGNUP: "true",
    ENABLE_LOGIN_FORM: "false",
    // Off, for the reason Karakeep's linking is off: Authentik does not prove email addresses, and
    // with the login form disabled every account already comes from OIDC (matched by its sub).
    OAUTH_MERGE_ACCOUNTS_BY_EMAIL: "false",
    OAUTH_PROVIDER_NAME: "Authentik",
    OAUTH_CLIENT_ID: ctx.oidc!.clientId,
    OAUTH_CLIENT_SECRET: ctx.oidc!.clientSecret,
    OPENID_PROVIDER_URL: ctx.oidc!.wellKnownUrl,
    OPENID_REDIRECT_URI: ctx.oidc!.redirectUris[0],
    OAUTH_SCOPES: "openid email profile",
  }),
  healthcheck: { test: ["CMD", "curl", "-fsS", "-o", "/dev/null", "http://127.0.0.1:8080/health"], startPeriod: "120s" },
  memoryMb: 1536,
};
