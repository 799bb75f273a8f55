import { Testing } from "cdktf";
import { buildHomelab } from "../../app";
import { findService } from "../../homelab/derive";
import { kitestacks } from "../../homelab/homelab";
import { HomelabSpec, ServiceSpec } from "../../homelab/types";
import { repoRoot, synthHomelab, TerraformJson } from "../helpers/synth";

/** The real spec with some fields replaced: fixtures start from what is deployed. */
export function specWith(overrides: Partial<HomelabSpec>): HomelabSpec {
  return { ...kitestacks, ...overrides };
}

/** The real spec with one service changed (by spreading the real entry). */
export function withService(name: string, patch: Partial<ServiceSpec>, spec: HomelabSpec = kitestacks): HomelabSpec {
  findService(spec, name);
  return { ...spec, services: spec.services.map((s) => (s.name === name ? { ...s, ...patch } : s)) };
}

/** A real service under a new name and hostnames: a second copy that passes validation. */
export function cloneService(name: string, as: string, hostnames: readonly string[]): ServiceSpec {
  const service = findService(kitestacks, name);
  // A homed copy needs its own tailnet port on the home.
  const placement = service.placement.mode === "homed" ? { ...service.placement, tailnetPort: service.placement.tailnetPort + 1000 } : service.placement;
  return { ...service, name: as, hostnames, placement };
}

/** Builds the whole homelab for a spec (validation included) without synthesizing it. */
export function build(spec: HomelabSpec): void {
  buildHomelab(Testing.app(), spec, { repoRoot });
}

/** The edge stack's Terraform JSON for a spec (other stacks prepared, as in `cdktf synth`). */
export function edgeJson(spec: HomelabSpec = kitestacks): TerraformJson {
  const homelab = synthHomelab(spec);
  return homelab.json(homelab.stacks.edge);
}

/** Every string anywhere in a JSON value. */
export function stringsIn(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.flatMap(stringsIn);
  if (value && typeof value === "object") return Object.values(value).flatMap(stringsIn);
  return [];
}
