import { goodSpec } from "../fixtures/specs";
import { appSettingsOf } from "../helpers/app-settings";
import { resourcesOf, synthHomelab } from "../helpers/synth";

/**
 * OIDC account linking by email stays off: Authentik does not prove addresses (its default
 * email mapping sends email_verified false since 2025.10), so an app that links an OIDC login
 * to an existing account by email hands that account to whoever holds the address in Authentik.
 * Per app, the switch and the value it must have (upstream defaults in docs/security.md).
 */
const LINKING_SWITCHES: Record<string, { readonly name: string; readonly safe: (v: string | undefined) => boolean }> = {
  // Karakeep: NextAuth's allowDangerousEmailAccountLinking (apps/web/server/auth.ts); default false.
  karakeep: { name: "OAUTH_ALLOW_DANGEROUS_EMAIL_ACCOUNT_LINKING", safe: (v) => v === undefined || v === "false" },
  // Open WebUI: OAUTH_MERGE_ACCOUNTS_BY_EMAIL (backend/open_webui/config.py); default false.
  "open-webui": { name: "OAUTH_MERGE_ACCOUNTS_BY_EMAIL", safe: (v) => v === undefined || v === "false" },
  // Grafana: [auth] oauth_allow_insecure_email_lookup; default false.
  grafana: { name: "GF_AUTH_OAUTH_ALLOW_INSECURE_EMAIL_LOOKUP", safe: (v) => v === undefined || v === "false" },
};

describe("OIDC account linking by email is off", () => {
  const lab = synthHomelab(goodSpec);
  const containers = [...lab.stacks.hosts.values()].flatMap((s) => Object.values(resourcesOf(lab.json(s), "docker_container")));

  test.each(Object.keys(LINKING_SWITCHES))("%s", (service) => {
    const { name, safe } = LINKING_SWITCHES[service];
    const mine = containers.filter((c) => c.name === service);
    expect(mine.length).toBeGreaterThan(0);
    for (const c of mine) {
      const value = appSettingsOf(c)[name];
      expect({ container: c.name, name, value, safe: safe(value) }).toEqual({ container: c.name, name, value, safe: true });
    }
  });

  test("the check fails when a switch is on", () => {
    expect(LINKING_SWITCHES.karakeep.safe("true")).toBe(false);
    expect(LINKING_SWITCHES["open-webui"].safe("true")).toBe(false);
  });
});
