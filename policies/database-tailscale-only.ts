import { tailscaleAddressInput } from "../constructs/homelab-inputs";
import { FindingDraft, HOST_LABEL, labelsOf, Policy, PolicyContext, portsOf, ROLE_LABEL } from "./context";

/** Postgres, MySQL/MariaDB, Redis: a container publishing one of these is treated as a database. */
export const DATABASE_PORTS = [5432, 3306, 6379] as const;

/** Literal addresses that never face the internet: loopback, RFC 1918, Tailscale CGNAT, ULA. */
export function isInternalAddress(ip: string): boolean {
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(ip);
  if (v4) {
    const [a, b] = [Number(v4[1]), Number(v4[2])];
    return a === 127 || a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 100 && b >= 64 && b <= 127);
  }
  const v6 = ip.replace(/^\[|\]$/g, "").toLowerCase();
  return v6 === "::1" || /^f[cd][0-9a-f]{2}:/.test(v6);
}

const TAILSCALE_VARIABLE = /^[^:]+:\$\{var\.(tailscale_ip_[a-z0-9_]+)\}$/;

/**
 * Databases are reached over the Docker network or the tailnet only: every port they publish
 * binds a tailscale_ip variable (directly or through a cross-stack output of one) or a literal
 * internal address, and they never share the host's network namespace.
 */
export const databaseTailscaleOnly: Policy = {
  id: "database-tailscale-only",
  description: "Databases (role database, or publishing 5432/3306/6379) bind only a Tailscale address variable or an internal address",
  check(ctx: PolicyContext): FindingDraft[] {
    const drafts: FindingDraft[] = [];
    for (const resource of ctx.resources("docker_container")) {
      const labels = labelsOf(resource.body);
      const ports = portsOf(resource.body);
      const isDatabase =
        labels.get(ROLE_LABEL) === "database" ||
        ports.some((p) => (DATABASE_PORTS as readonly number[]).includes(Number(p.internal)) || (DATABASE_PORTS as readonly number[]).includes(Number(p.external)));
      if (!isDatabase) continue;
      if (resource.body.network_mode === "host") {
        drafts.push({
          resource,
          value: resource.body.network_mode,
          problem: "a database shares the host's network namespace, so it listens on every host interface",
          fix: "put it on the kitestacks Docker network and publish its port on the host's Tailscale address only",
        });
      }
      const hostSpec = ctx.spec.hosts.find((h) => h.name === labels.get(HOST_LABEL));
      const expected = hostSpec ? tailscaleAddressInput(hostSpec).name : undefined;
      ports.forEach((port, i) => {
        const ip = String(port.ip ?? "");
        if (!ip.includes("${")) {
          if (isInternalAddress(ip)) return;
          drafts.push({
            resource,
            value: port.ip,
            problem: `database port ports[${i}] (${port.external ?? "?"}->${port.internal ?? "?"}) binds ${ip === "" ? "every interface" : `the non-internal address ${ip}`}`,
            fix: "bind the host's Tailscale address (the tailscale_ip_<host> variable), as SharedPostgres does with listenAddress",
          });
          return;
        }
        const origin = ctx.origin(resource.stack, ip);
        const variable = TAILSCALE_VARIABLE.exec(origin)?.[1];
        if (!variable || (expected && variable !== expected)) {
          drafts.push({
            resource,
            value: port.ip,
            problem: `database port ports[${i}] binds ${origin}, which is not ${expected ? `var.${expected}` : "a tailscale_ip variable"} (or a cross-stack output of it)`,
            fix: `bind ${expected ? `var.${expected}` : "the host's tailscale_ip_<host> variable"} (HostStack.tailscaleAddress)`,
          });
        }
      });
    }
    return drafts;
  },
};
