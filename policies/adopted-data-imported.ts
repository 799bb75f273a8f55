import { Adoption, AdoptedVolume } from "../homelab/adoption";
import { FindingDraft, Policy, PolicyContext, ResourceView, StackView } from "./context";

/** The adoption a stack was built with (KiteStack.adoption). */
function adoptionOf(stack: StackView): Adoption | undefined {
  return (stack.construct as { adoption?: Adoption }).adoption;
}

/** The import ids of a stack's `import` blocks, by target address. */
function importsOf(stack: StackView): Map<string, string> {
  const blocks = (stack.json.import ?? []) as { to: string; id: string }[];
  return new Map(blocks.map((b) => [b.to, b.id]));
}

/** `<stack>/service-<svc>/volume-<key>/...` or `<stack>/shared-postgres/data/...`. */
function volumeOwner(stack: string, path: string): { service: string; key: string } | { sharedPostgres: true } | undefined {
  const rest = path.startsWith(`${stack}/`) ? path.slice(stack.length + 1) : path;
  const svc = /^service-([a-z0-9-]+)\/volume-([a-z0-9-]+)(\/|$)/.exec(rest);
  if (svc) return { service: svc[1], key: svc[2] };
  if (/^shared-postgres\/data(\/|$)/.test(rest)) return { sharedPostgres: true };
  return undefined;
}

const ignored = (r: ResourceView): string[] => (r.body.lifecycle?.ignore_changes as string[] | undefined) ?? [];

/**
 * On a host the adoption file names, every data-holding resource takes over what is there: a
 * Docker volume is imported under its existing name (with its unchangeable labels ignored), or
 * bound to the existing directory, or marked fresh on purpose. A volume the plan would create
 * empty, or replace, fails synth: the service would start on no data while its real data sits
 * in the old volume. The same for an adopted Hetzner server: imported, with the attributes that
 * force a replacement ignored, in the location it is in.
 */
export const adoptedDataImported: Policy = {
  id: "adopted-data-imported",
  description: "On an adopted host, every data volume (and an adopted server) is imported or bound, never created empty or replaced",
  check(ctx: PolicyContext): FindingDraft[] {
    const findings: FindingDraft[] = [];
    for (const stack of ctx.stacks) {
      const adoption = adoptionOf(stack);
      if (!adoption) continue;
      const imports = importsOf(stack);
      for (const r of ctx.resourcesIn(stack, "docker_volume")) {
        const hostName = stack.name.replace(/-docker$/, "");
        const host = adoption.hosts?.[hostName];
        if (!host) continue;
        const owner = volumeOwner(stack.name, r.path);
        if (!owner) continue;
        const field = "sharedPostgres" in owner ? `hosts[${hostName}].sharedPostgres` : `hosts[${hostName}].services[${owner.service}].${owner.key}`;
        const adopted: AdoptedVolume | undefined = "sharedPostgres" in owner ? host.sharedPostgres : host.services?.[owner.service]?.[owner.key];
        if (!adopted) {
          findings.push({
            resource: r,
            value: r.body.name,
            problem: `volume ${JSON.stringify(r.body.name)} would be created empty on adopted host ${hostName}: the adoption file does not say where its data is (${field})`,
            fix: `run npm run adopt:discover, or set ${field} to {"volume": "<existing volume>"}, {"bindPath": "/existing/dir"} or {"fresh": "<why there is no data>"} in adoption.json`,
          });
          continue;
        }
        if ("volume" in adopted) {
          const problems: string[] = [];
          if (imports.get(r.address) !== adopted.volume) problems.push(`has no import block for ${JSON.stringify(adopted.volume)}`);
          if (r.body.name !== adopted.volume) problems.push(`is named ${JSON.stringify(r.body.name)}, not the existing ${JSON.stringify(adopted.volume)} (a new name replaces the volume)`);
          if (!ignored(r).includes("labels")) problems.push("does not ignore labels (Docker cannot relabel a volume: the import would replace it)");
          if (problems.length > 0) {
            findings.push({
              resource: r,
              value: r.body.name,
              problem: `adopted volume ${field} ${problems.join("; ")}`,
              fix: "build the volume with adoptedVolumeConfig and importAdoptedVolume (constructs/adopted-volume.ts)",
            });
          }
        } else if ("bindPath" in adopted) {
          if (r.body.driver_opts?.device !== adopted.bindPath || r.body.driver_opts?.o !== "bind") {
            findings.push({
              resource: r,
              value: r.body.driver_opts,
              problem: `adopted bind path ${field} (${adopted.bindPath}) is not what volume ${JSON.stringify(r.body.name)} binds: the service would start on an empty volume`,
              fix: "build the volume with adoptedVolumeConfig (constructs/adopted-volume.ts)",
            });
          }
        }
      }
      for (const r of ctx.resourcesIn(stack, "hcloud_server")) {
        const hostName = stack.name.replace(/-vm$/, "");
        const adopted = adoption.hetzner?.[hostName];
        if (!adopted) continue;
        const problems: string[] = [];
        if (imports.get(r.address) !== String(adopted.server.id)) problems.push(`has no import block for server ${adopted.server.id}`);
        for (const attr of ["user_data", "ssh_keys", "image"]) if (!ignored(r).includes(attr)) problems.push(`does not ignore ${attr} (a change replaces the server)`);
        if (r.body.location !== adopted.server.location) problems.push(`is in ${JSON.stringify(r.body.location)}, the server in ${JSON.stringify(adopted.server.location)} (location forces a replacement)`);
        if (problems.length > 0) {
          findings.push({
            resource: r,
            value: adopted.server.id,
            problem: `adopted server ${hostName} ${problems.join("; ")}: the plan would destroy it and every volume on it`,
            fix: `import it (VmStack does with hetzner[${hostName}] in adoption.json) and set provisioning.location to the server's location`,
          });
        }
      }
    }
    return findings;
  },
};
