import { LABELS } from "../constructs/kite-service";
import { envOf, FindingDraft, labelsOf, Policy, PolicyContext, ResourceView, StackView } from "./context";

/** Env names that carry secrets or session settings (compared even when their value is a literal). */
const SESSION_OR_SECRET = /SECRET|KEY|TOKEN|PASSWORD|PASSWD|SESSION|COOKIE|CACHE|JWT|SALT/i;
const REMOTE_OUTPUT = /^\$\{data\.terraform_remote_state\.[^.}]+\.outputs\.[^.}]+\}$/;
const VARIABLE = /^\$\{var\.([A-Za-z0-9_]+)\}$/;

/**
 * A value as the same thing on every stack: cross-stack outputs followed to the stack that owns
 * them, person-supplied variables by name (one TF_VAR_ for every stack), anything else tagged
 * with the stack it is computed in.
 */
function canonical(ctx: PolicyContext, stack: StackView, value: string): string {
  return value.replace(/\$\{[^{}]*\}/g, (expr) => {
    if (REMOTE_OUTPUT.test(expr)) return ctx.origin(stack, expr);
    const v = VARIABLE.exec(expr);
    if (v) return `var:${v[1]}`;
    return `${stack.name}:${expr}`;
  });
}

const carriesSecret = (name: string, value: string) => SESSION_OR_SECRET.test(name) || value.includes("${");

/**
 * What a copy is configured with: its env, and the files written into it at creation (secrets
 * as files, `file:<path>`), which carry the same keys when an app reads them from files.
 */
function settingsOf(body: Record<string, any>): Map<string, string> {
  const settings = envOf(body);
  for (const u of Array.isArray(body.upload) ? body.upload : []) {
    if (u && typeof u.file === "string" && typeof u.content === "string") settings.set(`file:${u.file}`, u.content);
  }
  return settings;
}

/**
 * A replicated service is one app behind several connectors only if every copy signs, verifies
 * and stores sessions the same way: its secrets and session settings must be the same on every
 * host (the invalid_grant incident was two Authentiks with two databases).
 */
export const replicatedIdenticalSecrets: Policy = {
  id: "replicated-identical-secrets",
  description: "A replicated service's secrets and session settings are identical on every host",
  check(ctx: PolicyContext): FindingDraft[] {
    const drafts: FindingDraft[] = [];
    // container name -> copies per stack
    const copies = new Map<string, { stack: StackView; resource: ResourceView }[]>();
    for (const stack of ctx.stacks) {
      for (const r of ctx.resourcesIn(stack, "docker_container")) {
        const labels = labelsOf(r.body);
        if (labels.get(LABELS.placement) !== "replicated" || labels.get(LABELS.role) === "database") continue;
        const name = String(r.body.name);
        copies.set(name, [...(copies.get(name) ?? []), { stack, resource: r }]);
      }
    }
    for (const [name, list] of copies) {
      if (list.length < 2) continue;
      const [first, ...others] = list;
      const service = labelsOf(first.resource.body).get(LABELS.service) ?? name;
      const firstHost = labelsOf(first.resource.body).get(LABELS.host) ?? first.stack.name;
      const firstEnv = settingsOf(first.resource.body);
      for (const other of others) {
        const host = labelsOf(other.resource.body).get(LABELS.host) ?? other.stack.name;
        const env = settingsOf(other.resource.body);
        const keys = new Set([...firstEnv.keys(), ...env.keys()]);
        for (const key of [...keys].sort()) {
          const a = firstEnv.get(key);
          const b = env.get(key);
          if (!key.startsWith("file:") && !carriesSecret(key, a ?? b ?? "")) continue;
          if (a !== undefined && b !== undefined && canonical(ctx, first.stack, a) === canonical(ctx, other.stack, b)) continue;
          drafts.push({
            resource: other.resource,
            value: key,
            problem:
              a === undefined || b === undefined
                ? `${service} is replicated but ${key} is set on ${a === undefined ? host : firstHost} only (container ${name}), so the copies sign or store sessions differently`
                : `${service} is replicated but ${key} differs between ${firstHost} and ${host} (container ${name}), so a session made on one host is not valid on the other`,
            fix: `give every host the same value (a generated secret of the service, read with ctx.secret, is the same on every host), or home ${service} on one host (placement in homelab/services/${service}/${service}.ts)`,
          });
        }
      }
    }
    return drafts;
  },
};
