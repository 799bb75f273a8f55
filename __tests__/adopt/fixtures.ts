import { accessTargets, adoptableVolumeKeys, Adoption, AdoptedVolume } from "../../homelab/adoption";
import { publicHostnames, servicesOn } from "../../homelab/derive";
import { HomelabSpec } from "../../homelab/types";

/**
 * An adoption of everything the description builds, derived from it (no service named here):
 * every volume of every service on every host as an existing compose volume
 * `<host>_<service>-<key>`, made-up but well-formed Cloudflare and Hetzner ids.
 */
export function fullAdoption(spec: HomelabSpec, volumeFor?: (host: string, service: string, key: string) => AdoptedVolume): Adoption {
  const hex = (n: number, len: number) => n.toString(16).padStart(len, "0");
  const uuid = (n: number) => `${hex(n, 8)}-0000-4000-8000-${hex(n, 12)}`;
  return {
    version: 1,
    cloudflare: {
      tunnel: { id: uuid(1), name: spec.tunnelName },
      dnsRecords: Object.fromEntries(publicHostnames(spec).map((r, i) => [r.hostname, hex(100 + i, 32)])),
      accessApplications: Object.fromEntries(accessTargets(spec).map((t, i) => [t.target, uuid(200 + i)])),
      accessPolicy: uuid(300),
    },
    hetzner: Object.fromEntries(
      spec.hosts
        .filter((h) => h.provisioning.kind === "hcloud")
        .map((h, i) => [h.name, { server: { id: 4000 + i, location: (h.provisioning as { location?: string }).location ?? "nbg1", serverType: "cx33" }, firewall: 5000 + i, sshKey: 6000 + i }]),
    ),
    hosts: Object.fromEntries(
      spec.hosts.map((h) => [
        h.name,
        {
          network: "0123456789ab",
          compose: [{ project: h.name, workingDir: `/srv/${h.name}`, configFiles: [`/srv/${h.name}/docker-compose.yml`] }],
          services: Object.fromEntries(
            servicesOn(spec, h.name)
              .filter((s) => adoptableVolumeKeys(s).length > 0)
              .map((s) => [s.name, Object.fromEntries(adoptableVolumeKeys(s).map((k) => [k, volumeFor?.(h.name, s.name, k) ?? { volume: `${h.name}_${s.name}-${k}` }]))]),
          ),
          ...(spec.sharedPostgres?.host === h.name ? { sharedPostgres: { volume: `${h.name}_postgres-data` } } : {}),
        },
      ]),
    ),
  };
}
