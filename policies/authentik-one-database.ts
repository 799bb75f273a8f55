import { envOf, FindingDraft, HOST_LABEL, labelsOf, Policy, PolicyContext, portsOf, ResourceView, ROLE_LABEL } from "./context";

const HOST = "AUTHENTIK_POSTGRESQL__HOST";
/** Settings that must read the same on every host for one Authentik (beyond the database host). */
const SAME_EVERYWHERE = ["AUTHENTIK_POSTGRESQL__NAME", "AUTHENTIK_POSTGRESQL__USER", "AUTHENTIK_SECRET_KEY"] as const;

interface AuthentikContainer {
  readonly resource: ResourceView;
  readonly host: string;
  readonly env: Map<string, string>;
  /** `<stack>/<container name>` of the database it reaches, when that resolves. */
  readonly database?: string;
}

/**
 * The container's Authentik settings, with `file://<path>` values read from the file the
 * container uploads at that path (secrets passed as files, ServiceEnvContext.secretFile).
 */
function settingsOf(body: any): Map<string, string> {
  const env = envOf(body);
  const files = new Map<string, string>(((body?.upload ?? []) as any[]).map((u) => [u.file, u.content]));
  for (const [k, v] of env) {
    const m = /^file:\/\/(\/.*)$/.exec(v);
    if (m && files.has(m[1])) env.set(k, files.get(m[1])!);
  }
  return env;
}

/**
 * Which database container an Authentik container reaches: a container name in its own stack,
 * or a Tailscale address (directly or through a cross-stack output) that a database container
 * of some stack publishes its port on.
 */
function databaseOf(ctx: PolicyContext, resource: ResourceView, host: string): string | undefined {
  const containers = (stackName: string) => ctx.resourcesIn(ctx.stacks.find((s) => s.name === stackName)!, "docker_container");
  const local = containers(resource.stack.name).find((c) => c.body.name === host);
  if (local) return `${resource.stack.name}/${host}`;
  const origin = ctx.origin(resource.stack, host);
  for (const stack of ctx.stacks) {
    const db = containers(stack.name).find(
      (c) => labelsOf(c.body).get(ROLE_LABEL) === "database" && portsOf(c.body).some((p) => typeof p.ip === "string" && ctx.origin(stack, p.ip) === origin),
    );
    if (db) return `${stack.name}/${db.body.name}`;
  }
  return undefined;
}

/**
 * Both hosts' Authentik are one Authentik: the same database (the shared Postgres container
 * on its host, its Tailscale address elsewhere), the same database name and user, and the
 * same secret key. The invalid_grant incident is what happens otherwise. The documented
 * rollback (sharedPostgres.authentikLocalFallbackOn) turns a host's findings into warnings.
 */
export const authentikOneDatabase: Policy = {
  id: "authentik-one-database",
  description: "Every host's Authentik uses the one shared database, name, user and secret key (warning on hosts in authentikLocalFallbackOn)",
  check(ctx: PolicyContext): FindingDraft[] {
    const found: AuthentikContainer[] = ctx.resources("docker_container").flatMap((resource) => {
      const env = settingsOf(resource.body);
      const dbHost = env.get(HOST);
      if (dbHost === undefined) return [];
      const host = labelsOf(resource.body).get(HOST_LABEL) ?? resource.stack.name;
      return [{ resource, host, env, database: databaseOf(ctx, resource, dbHost) }];
    });
    if (found.length === 0) return [];
    const pg = ctx.spec.sharedPostgres;
    const fallback = new Set(pg?.authentikLocalFallbackOn ?? []);
    // The reference: the shared Postgres as the spec places it, else what the first container uses.
    const reference =
      found.find((a) => pg && a.host === pg.host && a.database?.endsWith(`/${pg.containerName}`)) ?? found.find((a) => !fallback.has(a.host)) ?? found[0];
    const drafts: FindingDraft[] = [];
    for (const a of found) {
      if (a === reference) continue;
      const severity = fallback.has(a.host) ? "warning" : "error";
      const note = severity === "warning" ? ` (rollback: ${a.host} is in sharedPostgres.authentikLocalFallbackOn, so its Authentik data diverges)` : "";
      const fix =
        severity === "warning"
          ? `remove ${a.host} from sharedPostgres.authentikLocalFallbackOn once ${reference.host}'s Postgres is reachable again`
          : `point it at ${reference.database ?? "the shared Postgres"}: the container name on ${reference.host}, its Tailscale address elsewhere (ServiceEnvContext.database)`;
      if (a.database === undefined || a.database !== reference.database) {
        drafts.push({
          resource: a.resource,
          severity,
          value: a.env.get(HOST),
          problem: `${HOST} reaches ${a.database ?? "no database container of this app"}, but ${reference.host}'s Authentik uses ${reference.database ?? "another"}${note}`,
          fix,
        });
      }
      for (const name of SAME_EVERYWHERE) {
        const mine = a.env.get(name);
        const theirs = reference.env.get(name);
        if (mine !== undefined && theirs !== undefined && ctx.origin(a.resource.stack, mine) === ctx.origin(reference.resource.stack, theirs)) continue;
        drafts.push({
          resource: a.resource,
          severity,
          value: name === "AUTHENTIK_SECRET_KEY" ? "(reference)" : mine,
          problem: `${name} differs from ${reference.host}'s Authentik (${reference.resource.address})${note}`,
          fix: `use the same value on every host (one generated secret, read by cross-stack reference)`,
        });
      }
    }
    return drafts;
  },
};
