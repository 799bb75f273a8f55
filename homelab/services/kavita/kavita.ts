import { ServiceSpec } from "../../types";
import { at, adminEmail, jsonStepImage } from "../../settings";
import { stepScript } from "../../scripts";

export const kavita: ServiceSpec = {
  name: "kavita",
  title: "Kavita",
  description: "Books, comics and manga reader",
  icon: "📖",
  image: { ref: "jvmilazz0/kavita:0.8.8" },
  port: 5000,
  hostnames: [at("kavita")],
  placement: {
    mode: "homed",
    home: "monk",
    reason:
      "SQLite only, a JWT key generated per instance and the OIDC ticket in memory: one copy; the books and comics are large, and monk has the big disk (away while the owner travels)",
    tailnetPort: 5001,
  },
  state: "per-host",
  stateNote: "Library, reading progress and its signing key in /kavita/config and /library on its home host",
  sso: { mode: "oidc", redirectPaths: ["/signin-oidc", "/signout-callback-oidc"] },
  volumes: [
    { name: "config", mountPath: "/kavita/config" },
    { name: "library", mountPath: "/library" },
  ],
  secrets: [{ name: "admin_password", source: "generated", length: 24 }, adminEmail],
  // None: root from the start with root-owned files and no user switch, on port 5000 (Kareadita/
  // Kavita Dockerfile: COPY without --chown, `ENTRYPOINT ["/bin/bash"]`, entrypoint.sh copies the
  // default appsettings and runs ./Kavita). Checked at v0.8.3.2, the newest tag the mirror here
  // has: 0.8.8's entrypoint was not readable.
  capabilities: { add: [] },
  // Kavita (0.8.8) takes OIDC settings only through its settings API, reads the authority,
  // client id and secret only at startup, and checks the authority's discovery document on
  // save. The step claims the first admin account (so nobody else can on a fresh host),
  // rewrites just the OIDC fields of the current settings and restarts Kavita.
  postStart: (ctx) => [
    {
      description: "OIDC settings through the Kavita API",
      // Kavita's image has curl but no jq: the step edits the settings JSON in the helper image.
      image: jsonStepImage,
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
      shell: stepScript(__dirname, "oidc-settings.sh", ["wait-for.sh"]),
    },
  ],
  healthcheck: { test: ["CMD", "curl", "-fsS", "-o", "/dev/null", "http://127.0.0.1:5000/api/health"] },
  memoryMb: 512,
};
