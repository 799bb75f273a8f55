import { ContainerUpload } from "@cdktf/provider-docker/lib/container";
import { Construct } from "constructs";
import { identityProvider, oidcEndpoints, publicUrl } from "../homelab/derive";
import { HomelabSpec, OidcClientSettings, ServiceSpec } from "../homelab/types";
import { LABELS, MANAGED_BY } from "./kite-service";
import { AuthentikBlueprint, BlueprintEntry, BlueprintTag, renderBlueprint } from "./authentik-blueprint";

export interface OidcAppProps {
  /** The homelab: where Authentik is (its public URL is the issuer's base). */
  readonly spec: HomelabSpec;
  /** The app; its sso mode must be "oidc". */
  readonly service: ServiceSpec;
  /** The client secret (a generated secret's token, shared by every host). */
  readonly clientSecret: string;
}

/** Authentik's flows, key and scope mappings that every install has (found by slug, name or managed id). */
const AUTHENTIK_DEFAULTS = {
  authorizationFlow: "default-provider-authorization-implicit-consent",
  invalidationFlow: "default-provider-invalidation-flow",
  signingKey: "authentik Self-signed Certificate",
  scopes: ["openid", "email", "profile"],
} as const;

/** Entry ids inside one app's blueprint (the targets of `!KeyOf`). */
const ENTRY = { provider: "provider", application: "application", group: "group" } as const;

/**
 * One app registered with Authentik as code: an OAuth2/OpenID provider, the application that
 * uses it and, when the spec restricts the app to a group, that group and a policy binding so
 * only its members get in. The registration is a blueprint file the Authentik worker applies
 * (on start, on file change and hourly); the client secret reaches it as a separate file read
 * with `!File`, so the blueprint itself holds no secret and is the same text on every host.
 *
 * The app side reads {@link settings}: the same client id, secret and redirect URIs, so the two
 * ends cannot drift apart.
 */
export class OidcApp extends Construct {
  /** Container suffix of the Authentik companion that applies blueprints. */
  static readonly BLUEPRINT_CONTAINER = "worker";
  /** Where the worker looks for our blueprints (`/blueprints` is scanned recursively for *.yaml). */
  static readonly BLUEPRINT_DIR = "/blueprints/custom";
  /** Where client secrets are written on the worker: outside /blueprints, so never taken for one. */
  static readonly SECRET_DIR = "/kitestacks/oidc-client-secrets";

  public readonly service: ServiceSpec;
  /** Application slug (also the issuer path segment). */
  public readonly slug: string;
  public readonly clientId: string;
  /** Sensitive token: never a literal. */
  public readonly clientSecret: string;
  /** What the app is configured with (env builders and post-start steps read it as ctx.oidc). */
  public readonly settings: OidcClientSettings;
  /** Group whose members alone may use the app, if the spec restricts it. */
  public readonly restrictToGroup?: string;
  public readonly blueprint: AuthentikBlueprint;
  /** The blueprint as Authentik reads it. */
  public readonly blueprintYaml: string;
  /** Path of the blueprint on the worker. */
  public readonly blueprintPath: string;
  /** Path of the client secret file on the worker. */
  public readonly clientSecretPath: string;
  /** Files for the worker container: the blueprint and the client secret. */
  public readonly workerUploads: readonly ContainerUpload[];

  constructor(scope: Construct, id: string, props: OidcAppProps) {
    super(scope, id);
    const { spec, service } = props;
    if (service.sso.mode !== "oidc") {
      throw new Error(`OidcApp ${service.name}: services[${service.name}].sso.mode is ${service.sso.mode}; only oidc apps register with Authentik`);
    }
    const idp = identityProvider(spec);
    if (!idp || !(idp.companions ?? []).some((c) => c.name === OidcApp.BLUEPRINT_CONTAINER)) {
      throw new Error(`OidcApp ${service.name}: the identity provider needs a companion named ${OidcApp.BLUEPRINT_CONTAINER} (the Authentik worker applies blueprints)`);
    }
    this.service = service;
    const endpoints = oidcEndpoints(spec, service);
    this.slug = endpoints.slug;
    this.clientId = service.name;
    this.clientSecret = props.clientSecret;
    this.settings = { ...endpoints, clientId: this.clientId, clientSecret: this.clientSecret };
    this.restrictToGroup = service.sso.restrictToGroup;
    this.blueprintPath = `${OidcApp.BLUEPRINT_DIR}/${this.slug}.yaml`;
    this.clientSecretPath = `${OidcApp.SECRET_DIR}/${this.slug}`;

    const provider: BlueprintEntry = {
      model: "authentik_providers_oauth2.oauth2provider",
      id: ENTRY.provider,
      identifiers: { name: service.title },
      attrs: {
        client_type: "confidential",
        client_id: this.clientId,
        client_secret: BlueprintTag.file(this.clientSecretPath),
        authorization_flow: BlueprintTag.find("authentik_flows.flow", ["slug", AUTHENTIK_DEFAULTS.authorizationFlow]),
        invalidation_flow: BlueprintTag.find("authentik_flows.flow", ["slug", AUTHENTIK_DEFAULTS.invalidationFlow]),
        signing_key: BlueprintTag.find("authentik_crypto.certificatekeypair", ["name", AUTHENTIK_DEFAULTS.signingKey]),
        redirect_uris: this.settings.redirectUris.map((url) => ({ matching_mode: "strict", url })),
        property_mappings: AUTHENTIK_DEFAULTS.scopes.map((scope) =>
          BlueprintTag.find("authentik_providers_oauth2.scopemapping", ["managed", `goauthentik.io/providers/oauth2/scope-${scope}`]),
        ),
      },
    };
    const application: BlueprintEntry = {
      model: "authentik_core.application",
      id: ENTRY.application,
      identifiers: { slug: this.slug },
      attrs: {
        name: service.title,
        provider: BlueprintTag.keyOf(ENTRY.provider),
        meta_launch_url: publicUrl(service)!,
        meta_description: service.description,
        // With a binding, "any" means: members of the bound group only.
        policy_engine_mode: "any",
      },
    };
    const restriction: BlueprintEntry[] = this.restrictToGroup
      ? [
          { model: "authentik_core.group", id: ENTRY.group, identifiers: { name: this.restrictToGroup } },
          {
            model: "authentik_policies.policybinding",
            // Keyed by position, not by group: changing the group moves this binding instead of
            // leaving the old group's access behind.
            identifiers: { target: BlueprintTag.keyOf(ENTRY.application), order: 0 },
            attrs: { group: BlueprintTag.keyOf(ENTRY.group), enabled: true },
          },
        ]
      : [];

    this.blueprint = {
      version: 1,
      metadata: {
        name: `kitestacks-${this.slug}`,
        labels: {
          "blueprints.goauthentik.io/description": `${service.title}: OIDC provider and application (KiteStacks IaC)`,
          [LABELS.managedBy]: MANAGED_BY,
        },
      },
      entries: [provider, application, ...restriction],
    };
    this.blueprintYaml = renderBlueprint(this.blueprint);
    this.workerUploads = [
      // World-readable inside the worker only: uploads are root-owned and the worker runs as
      // the image's authentik user.
      { file: this.blueprintPath, content: this.blueprintYaml, permissions: "0444" },
      { file: this.clientSecretPath, content: this.clientSecret, permissions: "0444" },
    ];
  }
}
