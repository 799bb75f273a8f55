import { HomelabSpec, HostSpec, PlacementSpec, ServiceSpec } from "./types";

/**
 * The placement model: which host runs each service, where homed services live, and which
 * connector hosts forward to them. Stacks, policies, the portal, the docs and the end-to-end
 * test all ask these functions, so the rule lives once.
 */

type ServiceRef = ServiceSpec | string;

function serviceOf(spec: HomelabSpec, service: ServiceRef): ServiceSpec {
  if (typeof service !== "string") return service;
  const found = spec.services.find((s) => s.name === service);
  if (!found) throw new Error(`No service named ${JSON.stringify(service)} in the homelab description`);
  return found;
}

/** Hosts that run a cloudflared connector of the tunnel. */
function connectors(spec: HomelabSpec): HostSpec[] {
  return spec.hosts.filter((h) => h.tunnelConnector !== false);
}

/** How a service is placed (replicated, or homed with its home and reason). */
export function placementOf(spec: HomelabSpec, service: ServiceRef): PlacementSpec {
  return serviceOf(spec, service).placement;
}

export function isHomed(service: ServiceSpec): service is ServiceSpec & { placement: Extract<PlacementSpec, { mode: "homed" }> } {
  return service.placement.mode === "homed";
}

/** The host a homed service lives on; undefined for a replicated one. */
export function homeHost(spec: HomelabSpec, service: ServiceRef): HostSpec | undefined {
  const svc = serviceOf(spec, service);
  if (!isHomed(svc)) return undefined;
  return spec.hosts.find((h) => h.name === svc.placement.home);
}

/** Names of the hosts that run the service itself: every host, or its home. */
export function hostsRunning(spec: HomelabSpec, service: ServiceRef): string[] {
  const svc = serviceOf(spec, service);
  return isHomed(svc) ? [svc.placement.home] : spec.hosts.map((h) => h.name);
}

/** Homed public services a host forwards to their home (it is a connector and not their home). */
export function forwardedServicesOn(spec: HomelabSpec, host: string): ServiceSpec[] {
  if (!connectors(spec).some((h) => h.name === host)) return [];
  return spec.services.filter((s) => isHomed(s) && (s.hostnames ?? []).length > 0 && s.placement.home !== host);
}

/** Connector hosts that forward a homed service (every connector but its home). */
export function forwardersOf(spec: HomelabSpec, service: ServiceRef): string[] {
  const svc = serviceOf(spec, service);
  return connectors(spec)
    .map((h) => h.name)
    .filter((h) => forwardedServicesOn(spec, h).includes(svc));
}

/** Hosts that run a homed service's agent: every host but its home. */
export function agentHostsOf(spec: HomelabSpec, service: ServiceRef): string[] {
  const svc = serviceOf(spec, service);
  if (!isHomed(svc) || !svc.agent) return [];
  return spec.hosts.map((h) => h.name).filter((h) => h !== svc.placement.home);
}

/** Every homed service, in spec order. */
export function homedServices(spec: HomelabSpec): ServiceSpec[] {
  return spec.services.filter(isHomed);
}

/** Services homed on a host, in spec order. */
export function servicesHomedOn(spec: HomelabSpec, host: string): ServiceSpec[] {
  return spec.services.filter((s) => isHomed(s) && s.placement.home === host);
}

/** What the portal's metrics API probes: each homed service's tailnet port on its home. */
export interface HomeProbe {
  readonly service: string;
  readonly title: string;
  readonly home: string;
  readonly port: number;
}

export function homeProbes(spec: HomelabSpec): HomeProbe[] {
  return homedServices(spec).map((s) => ({
    service: s.name,
    title: s.title,
    home: (s.placement as Extract<PlacementSpec, { mode: "homed" }>).home,
    port: (s.placement as Extract<PlacementSpec, { mode: "homed" }>).tailnetPort,
  }));
}

/** One line for docs and portal cards: "every host" or "home: kscloud1". */
export function placementLabel(service: ServiceSpec): string {
  return isHomed(service) ? `homed on ${service.placement.home}` : "replicated on every host";
}
