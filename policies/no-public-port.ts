import { FindingDraft, Policy, PolicyContext, portsOf } from "./context";

/** Addresses that mean "every interface". An unset ip is Docker's 0.0.0.0. */
const ANY_ADDRESS = new Set(["", "0.0.0.0", "::", "[::]"]);

/** No container publishes a port on every interface: services reach the internet only through the tunnel. */
export const noPublicPort: Policy = {
  id: "no-public-port",
  description: "No container port is published on 0.0.0.0, :: or without an ip",
  check(ctx: PolicyContext): FindingDraft[] {
    return ctx.resources("docker_container").flatMap((resource) =>
      portsOf(resource.body)
        .map((port, i) => ({ port, i }))
        .filter(({ port }) => ANY_ADDRESS.has(String(port.ip ?? "").trim()))
        .map(({ port, i }) => ({
          resource,
          value: port.ip,
          problem: `ports[${i}] (${port.external ?? "?"}->${port.internal ?? "?"}) is published on every interface (ip ${port.ip === undefined ? "unset, which Docker reads as 0.0.0.0" : JSON.stringify(port.ip)})`,
          fix: "bind one named address (the host's Tailscale address: hostPorts with bind \"tailscale\" in its file under homelab/services/), or drop the port and route through the tunnel",
        })),
    );
  },
};
