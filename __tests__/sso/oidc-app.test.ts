import { TerraformStack, TerraformVariable, Testing, Token } from "cdktf";
import { OidcApp } from "../../constructs/oidc-app";
import { identityProvider, publicUrl } from "../../homelab/derive";
import { HomelabSpec, ServiceSpec } from "../../homelab/types";
import { goodSpec, withService } from "../fixtures/specs";
import { parseDocument } from "yaml";
import { BLUEPRINT_TAGS, entryOf, FileTag, FindTag, KeyOfTag, oidcServices, parseBlueprint, scalarsOf } from "./helpers";

function appFor(spec: HomelabSpec, service: ServiceSpec): OidcApp {
  const stack = new TerraformStack(Testing.app(), "test");
  const secret = new TerraformVariable(stack, "client_secret", { type: "string", sensitive: true });
  return new OidcApp(stack, `oidc-${service.name}`, { spec, service, clientSecret: secret.stringValue });
}

const apps = oidcServices(goodSpec).map((svc) => appFor(goodSpec, svc));
const restricted = apps.filter((a) => a.service.sso.mode === "oidc" && a.service.sso.restrictToGroup !== undefined);

describe("OidcApp blueprint", () => {
  test("the spec has OIDC apps, and at least one restricted to a group", () => {
    expect(apps.length).toBeGreaterThan(0);
    expect(restricted.length).toBeGreaterThan(0);
  });

  test.each(apps.map((a) => [a.service.name, a]))("%s: version 1 blueprint with a provider and an application", (_name, app) => {
    const bp = parseBlueprint(app.blueprintYaml);
    expect(bp.version).toBe(1);
    expect(bp.metadata.name).toBe(`kitestacks-${app.slug}`);
    expect(bp.metadata.labels["blueprints.goauthentik.io/description"]).toContain(app.service.title);
    const provider = entryOf(bp, "authentik_providers_oauth2.oauth2provider");
    const application = entryOf(bp, "authentik_core.application");
    expect(provider.attrs).toMatchObject({ client_type: "confidential", client_id: app.clientId });
    expect(application.identifiers).toEqual({ slug: app.slug });
    expect(application.attrs).toMatchObject({ name: app.service.title, meta_launch_url: publicUrl(app.service) });
    expect(application.attrs!.provider).toEqual(new KeyOfTag(provider.id!));
  });

  test.each(apps.map((a) => [a.service.name, a]))("%s: flows, key and scopes are found by lookup, never by primary key", (_name, app) => {
    const bp = parseBlueprint(app.blueprintYaml);
    const attrs = entryOf(bp, "authentik_providers_oauth2.oauth2provider").attrs!;
    expect(attrs.authorization_flow).toEqual(new FindTag("authentik_flows.flow", [["slug", "default-provider-authorization-implicit-consent"]]));
    expect(attrs.invalidation_flow).toEqual(new FindTag("authentik_flows.flow", [["slug", "default-provider-invalidation-flow"]]));
    expect(attrs.signing_key).toEqual(new FindTag("authentik_crypto.certificatekeypair", [["name", "authentik Self-signed Certificate"]]));
    expect(attrs.property_mappings).toEqual(
      ["openid", "email", "profile"].map((s) => new FindTag("authentik_providers_oauth2.scopemapping", [["managed", `goauthentik.io/providers/oauth2/scope-${s}`]])),
    );
    for (const entry of bp.entries) {
      expect(Object.keys(entry.identifiers)).not.toContain("pk");
      for (const scalar of scalarsOf(entry)) {
        expect(String(scalar)).not.toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i);
        expect(scalar).not.toBe("pk");
      }
    }
  });

  test.each(apps.map((a) => [a.service.name, a]))("%s: one strict redirect URI per spec redirect path", (_name, app) => {
    const svc = app.service;
    if (svc.sso.mode !== "oidc") throw new Error("not oidc");
    const attrs = entryOf(parseBlueprint(app.blueprintYaml), "authentik_providers_oauth2.oauth2provider").attrs!;
    expect(attrs.redirect_uris).toEqual(svc.sso.redirectPaths.map((p) => ({ matching_mode: "strict", url: `${publicUrl(svc)}${p}` })));
    expect(app.settings.redirectUris).toEqual(attrs.redirect_uris.map((r: { url: string }) => r.url));
  });

  test.each(apps.map((a) => [a.service.name, a]))("%s: the client secret is read from a file on the worker, not written in the blueprint", (_name, app) => {
    const attrs = entryOf(parseBlueprint(app.blueprintYaml), "authentik_providers_oauth2.oauth2provider").attrs!;
    expect(attrs.client_secret).toEqual(new FileTag(app.clientSecretPath));
    expect(Token.isUnresolved(app.clientSecret)).toBe(true);
    expect(app.blueprintYaml).not.toContain("${");
    expect(app.workerUploads).toEqual([
      { file: app.blueprintPath, content: app.blueprintYaml, permissions: "0444" },
      { file: app.clientSecretPath, content: app.clientSecret, permissions: "0444" },
    ]);
    expect(app.blueprintPath).toBe(`/blueprints/custom/${app.slug}.yaml`);
    expect(app.clientSecretPath.startsWith("/blueprints/")).toBe(false);
  });

  test("tags are real YAML tags: parsing without Authentik's tag definitions does not yield them", () => {
    const text = apps[0].blueprintYaml;
    expect(text).toMatch(/^ {6}authorization_flow: !Find \[ authentik_flows\.flow, \[ slug, [a-z-]+ \] \]$/m);
    expect(text).toMatch(/^ {6}provider: !KeyOf provider$/m);
    expect(text).not.toMatch(/["']!(Find|KeyOf|File)/);
    // Unknown to a plain parser (it warns), known to Authentik's tag set (no warning).
    expect(parseDocument(text).warnings.map((w) => w.code)).toContain("TAG_RESOLVE_FAILED");
    expect(parseDocument(text, { customTags: BLUEPRINT_TAGS }).warnings).toEqual([]);
  });

  test("a group restriction adds the group and a policy binding on the application at order 0", () => {
    for (const app of restricted) {
      if (app.service.sso.mode !== "oidc") throw new Error("not oidc");
      const bp = parseBlueprint(app.blueprintYaml);
      const group = entryOf(bp, "authentik_core.group");
      const binding = entryOf(bp, "authentik_policies.policybinding");
      const application = entryOf(bp, "authentik_core.application");
      expect(group.identifiers).toEqual({ name: app.service.sso.restrictToGroup });
      expect(binding.identifiers).toEqual({ target: new KeyOfTag(application.id!), order: 0 });
      expect(binding.attrs).toMatchObject({ group: new KeyOfTag(group.id!), enabled: true });
      // Entries apply in file order: the binding comes after what it points at.
      const models = bp.entries.map((e) => e.model);
      expect(models.indexOf("authentik_policies.policybinding")).toBeGreaterThan(models.indexOf("authentik_core.group"));
      expect(models.indexOf("authentik_policies.policybinding")).toBeGreaterThan(models.indexOf("authentik_core.application"));
    }
  });

  test("every group-restricted app of the spec is restricted to the admin group", () => {
    for (const app of restricted) expect(app.restrictToGroup).toBe(goodSpec.adminGroup);
  });

  test("apps without a group restriction get no group and no binding", () => {
    for (const app of apps.filter((a) => !restricted.includes(a))) {
      const models = parseBlueprint(app.blueprintYaml).entries.map((e) => e.model);
      expect(models).toEqual(["authentik_providers_oauth2.oauth2provider", "authentik_core.application"]);
    }
  });

  test("adding restrictToGroup to any app adds the binding for that group", () => {
    const svc = apps.find((a) => !restricted.includes(a))!.service;
    const spec = withService(goodSpec, svc.name, { sso: { mode: "oidc", redirectPaths: ["/cb"], restrictToGroup: "readers" } });
    const bp = parseBlueprint(appFor(spec, spec.services.find((s) => s.name === svc.name)!).blueprintYaml);
    expect(entryOf(bp, "authentik_core.group").identifiers).toEqual({ name: "readers" });
    expect(entryOf(bp, "authentik_policies.policybinding").attrs!.group).toEqual(new KeyOfTag("group"));
  });

  test("fails for a service whose sso mode is not oidc", () => {
    const idp = identityProvider(goodSpec)!;
    expect(() => appFor(goodSpec, idp)).toThrow(/sso\.mode/);
  });

  test("fails when the identity provider has no worker to apply blueprints", () => {
    const idp = identityProvider(goodSpec)!;
    const spec = withService(goodSpec, idp.name, { companions: [] });
    expect(() => appFor(spec, oidcServices(spec)[0])).toThrow(/companion named worker/);
  });

  test("snapshot: one app's blueprint", () => {
    const unrestricted = apps.find((a) => !restricted.includes(a))!;
    expect(unrestricted.blueprintYaml).toMatchSnapshot();
  });
});
