import { kitestacks } from "../homelab/homelab";
import { DatabaseSpec, HomelabSpec, ServiceEnvContext, ServiceSpec } from "../homelab/types";

/**
 * A bigger homelab for the synth benchmark: every service of the spec `scale` times, each copy
 * with its own name, hostnames, databases and host ports, so it validates and synthesizes like
 * real services would. The identity provider is not copied: a homelab has one Authentik,
 * and the policies require every Authentik container to share its database and key.
 *
 * Used as `KITESTACKS_SPEC=bench/scaled-spec.ts KITESTACKS_BENCH_SCALE=10 tsx main.ts`.
 */
export function scaleSpec(spec: HomelabSpec, scale: number): HomelabSpec {
  if (!Number.isInteger(scale) || scale < 1) throw new Error(`KITESTACKS_BENCH_SCALE: ${scale} is not a positive integer`);
  const copies: ServiceSpec[] = [];
  const copied = spec.services.filter((s) => s.sso.mode !== "identity-provider");
  for (let i = 1; i < scale; i++) copies.push(...copied.map((s) => copyService(spec, s, i)));
  return { ...spec, services: [...spec.services, ...copies] };
}

/** Copy `i` of a service: `grafana` → `grafana-2`, `grafana.<domain>` → `grafana-2.<domain>`. */
function copyService(spec: HomelabSpec, svc: ServiceSpec, i: number): ServiceSpec {
  const n = i + 1;
  const rename = (db: DatabaseSpec): DatabaseSpec => ({ ...db, name: `${db.name}_${n}`, user: `${db.user}_${n}` });
  const hostname = (h: string) => (h === spec.domain ? `${svc.name}-${n}.${spec.domain}` : h.replace(/^([^.]+)\./, `$1-${n}.`));
  // The env and post-start builders ask for databases by their declared names.
  const ctxFor = (ctx: ServiceEnvContext): ServiceEnvContext => ({ ...ctx, database: (name) => ctx.database(`${name}_${n}`) });
  return {
    ...svc,
    name: `${svc.name}-${n}`,
    hostnames: svc.hostnames?.map(hostname),
    databases: svc.databases?.map(rename),
    hostPorts: svc.hostPorts?.map((p) => ({ ...p, hostPort: p.hostPort + 100 * i })),
    env: svc.env && ((ctx) => svc.env!(ctxFor(ctx))),
    postStart: svc.postStart && ((ctx) => svc.postStart!(ctxFor(ctx))),
  };
}

/** The module KITESTACKS_SPEC loads. */
export const spec: HomelabSpec = scaleSpec(kitestacks, Number(process.env.KITESTACKS_BENCH_SCALE ?? "10"));
