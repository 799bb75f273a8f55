import { hostsRunning, isHomed } from "./placement";
import { HomelabSpec, HostSpec, OidcClientSettings, ServiceSpec } from "./types";

/**
 * Facts derived from the spec. Stacks, constructs, the portal build and the docs all read the
 * spec through these, so each rule (who runs what, which URL an app has) lives once.
 */

/** Hosts that run a cloudflared connector of the tunnel. */
export function connectorHosts(spec: HomelabSpec): HostSpec[] {
  return spec.hosts.filter((h) => h.tunnelConnector !== false);
}

/** Names of the hosts a service itself runs on (its placement: every host, or its home). */
export function hostNamesOf(spec: HomelabSpec, service: ServiceSpec): string[] {
  return hostsRunning(spec, service);
}

/** Services that run on a host, in spec order. */
export function servicesOn(spec: HomelabSpec, host: string): ServiceSpec[] {
  return spec.services.filter((s) => hostNamesOf(spec, s).includes(host));
}

/** A service with at least one public hostname (routed through the tunnel). */
export function isPublic(service: ServiceSpec): boolean {
  return (service.hostnames ?? []).length > 0;
}

export function publicServices(spec: HomelabSpec): ServiceSpec[] {
  return spec.services.filter(isPublic);
}

/** Every public hostname with the service behind it, in spec order. */
export function publicHostnames(spec: HomelabSpec): { hostname: string; service: ServiceSpec }[] {
  return spec.services.flatMap((service) => (service.hostnames ?? []).map((hostname) => ({ hostname, service })));
}

/** `https://<first hostname>` of a public service. */
export function publicUrl(service: ServiceSpec): string | undefined {
  const first = service.hostnames?.[0];
  return first ? `https://${first}` : undefined;
}

/** The URL the tunnel and sibling containers use: `http://<container>:<port>`. */
export function internalUrl(service: ServiceSpec): string {
  return `http://${service.name}:${service.port}`;
}

export function findService(spec: HomelabSpec, name: string): ServiceSpec {
  const service = spec.services.find((s) => s.name === name);
  if (!service) throw new Error(`No service named ${JSON.stringify(name)} in the homelab spec`);
  return service;
}

export function findHost(spec: HomelabSpec, name: string): HostSpec {
  const host = spec.hosts.find((h) => h.name === name);
  if (!host) throw new Error(`No host named ${JSON.stringify(name)} in the homelab spec`);
  return host;
}

/** The identity provider (Authentik), if the spec has one. */
export function identityProvider(spec: HomelabSpec): ServiceSpec | undefined {
  return spec.services.find((s) => s.sso.mode === "identity-provider");
}

/** The host whose workload stack owns shared things: the shared Postgres and generated secrets. */
export function primaryHost(spec: HomelabSpec): HostSpec {
  return spec.sharedPostgres ? findHost(spec, spec.sharedPostgres.host) : spec.hosts[0];
}

/** Hosts in deploy order: the primary host first (it owns the shared database). */
export function hostsInDeployOrder(spec: HomelabSpec): HostSpec[] {
  const primary = primaryHost(spec);
  return [primary, ...spec.hosts.filter((h) => h !== primary)];
}

/** The MagicDNS name the Docker provider dials. */
export function tailscaleName(host: HostSpec): string {
  return host.tailscaleName ?? host.name;
}

/** The Docker provider's host for a machine: `ssh://<sshUser>@<tailscale name>`. */
export function dockerHostUrl(host: HostSpec): string {
  return `ssh://${host.sshUser}@${tailscaleName(host)}`;
}

/** Hosts the app creates on Hetzner Cloud (provisioning kind hcloud), in deploy order. */
export function hcloudHosts(spec: HomelabSpec): HostSpec[] {
  return hostsInDeployOrder(spec).filter((h) => h.provisioning.kind === "hcloud");
}

/**
 * Authentik's OIDC endpoints for an app (client id and secret are filled in by the caller,
 * which owns the generated secret).
 */
export function oidcEndpoints(
  spec: HomelabSpec,
  service: ServiceSpec,
): Omit<OidcClientSettings, "clientId" | "clientSecret"> {
  const idp = identityProvider(spec);
  const idpUrl = idp && publicUrl(idp);
  const appUrl = publicUrl(service);
  if (!idpUrl || !appUrl || service.sso.mode !== "oidc") {
    throw new Error(`Service ${service.name} has no OIDC settings: it needs sso.mode oidc, a hostname and an identity provider`);
  }
  const slug = service.name;
  const base = `${idpUrl}/application/o`;
  return {
    slug,
    issuer: `${base}/${slug}/`,
    wellKnownUrl: `${base}/${slug}/.well-known/openid-configuration`,
    authorizeUrl: `${base}/authorize/`,
    tokenUrl: `${base}/token/`,
    userinfoUrl: `${base}/userinfo/`,
    endSessionUrl: `${base}/${slug}/end-session/`,
    redirectUris: service.sso.redirectPaths.map((p) => `${appUrl}${p}`),
  };
}

/** A card on the portal. */
export interface PortalCard {
  readonly name: string;
  readonly title: string;
  readonly description: string;
  readonly icon: string;
  readonly url: string;
  readonly hosts: readonly string[];
  readonly sso: "oidc" | "identity-provider" | "none";
  readonly adminOnly: boolean;
  readonly state: ServiceSpec["state"];
  /** Where it runs: every host, or one home host (the others forward to it). */
  readonly placement: "replicated" | "homed";
  /** The home host of a homed service. */
  readonly home?: string;
  /** Why it is placed so (the spec's placement reason). */
  readonly placementReason: string;
}

/** The portal's cards: every public service except those that opt out (the portal itself). */
export function portalCards(spec: HomelabSpec): PortalCard[] {
  return publicServices(spec)
    .filter((s) => s.portalCard !== false)
    .map((s) => ({
      name: s.name,
      title: s.title,
      description: s.description,
      icon: s.icon,
      url: publicUrl(s)!,
      hosts: hostNamesOf(spec, s),
      sso: s.sso.mode,
      adminOnly: s.sso.mode === "oidc" && s.sso.restrictToGroup !== undefined,
      state: s.state,
      placement: s.placement.mode,
      home: isHomed(s) ? s.placement.home : undefined,
      placementReason: s.placement.reason,
    }));
}
