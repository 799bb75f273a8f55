import { resolve } from "node:path";
import { kitestacks } from "../../homelab/homelab";
import { HomelabSpec, ServiceSpec } from "../../homelab/types";
import { findSpecProblems, SpecValidationError, validateSpec } from "../../homelab/validate";
import { goodSpec, serviceOf, withExtraServices, withService } from "../fixtures/specs";

const repoRoot = resolve(__dirname, "../..");
const pg = goodSpec.sharedPostgres!;
const grafana = serviceOf(kitestacks, "grafana");
/** A copy of Grafana under another name: an ordinary extra service. */
const extra = (name: string, patch: Partial<ServiceSpec> = {}): ServiceSpec =>
  ({ ...grafana, name, hostnames: [], sso: { mode: "none" }, placement: { mode: "replicated", reason: "fixture: stateless" }, state: "stateless", volumes: [], ...patch }) as ServiceSpec;

function lines(spec: HomelabSpec): string[] {
  try {
    validateSpec(spec, repoRoot);
  } catch (error) {
    if (!(error instanceof SpecValidationError)) throw error;
    return error.message.split("\n").slice(1).map((l) => l.trim());
  }
  return [];
}

describe("spec validation: security rules", () => {
  test("the real homelab passes (Portainer's socket is granted, with a reason)", () => {
    expect(findSpecProblems(kitestacks, repoRoot)).toEqual([]);
    expect(serviceOf(kitestacks, "portainer").privileges?.map((g) => g.kind)).toEqual(["docker-socket"]);
  });

  test("fails a host port on the shared Postgres's port, on its host", () => {
    const spec = withService(goodSpec, "grafana", { hostPorts: [{ containerPort: 3000, hostPort: pg.port ?? 5432, bind: "tailscale", reason: "fixture" }] });
    expect(lines(spec)).toEqual([
      `- services[grafana].hostPorts[0].hostPort: 5432 clashes with the shared Postgres, published on ${pg.host}'s Tailscale address at 5432. Fix: pick another host port.`,
    ]);
  });

  test.each([
    ["bookstack-mariadb", "services[bookstack]"],
    ["authentik-worker", "services[authentik]"],
    [pg.containerName, "the shared Postgres (sharedPostgres.containerName)"],
    ["cloudflared", "the tunnel connector"],
  ])("fails a service named %s: its container name is taken", (name, owner) => {
    expect(lines(withExtraServices(goodSpec, extra(name)))).toEqual([
      `- services[${name}].name: ${JSON.stringify(name)} is also the container name of ${owner}. Fix: rename the service (or the companion/agent) so every container name is unique on a host.`,
    ]);
  });

  test("fails pids limits that are not whole numbers a host can use, on services, companions, agents and the shared Postgres, all at once", () => {
    const spec: HomelabSpec = {
      ...withExtraServices(
        goodSpec,
        extra("tiny", { pidsLimit: 4 }),
        extra("huge", { pidsLimit: 1_000_000 }),
        extra("fraction", { pidsLimit: 99.5, companions: [{ name: "worker", command: ["worker"], pidsLimit: 0 }] }),
      ),
      sharedPostgres: { ...pg, pidsLimit: -1 },
    };
    const fix = "Fix: give the most processes and threads the container may hold at once (its worker pools and per-connection threads, with room to spare), or leave it out for the default 512.";
    expect(lines(spec)).toEqual([
      `- sharedPostgres.pidsLimit: -1 is not a whole number of 16-16384. ${fix}`,
      `- services[tiny].pidsLimit: 4 is not a whole number of 16-16384. ${fix}`,
      `- services[huge].pidsLimit: 1000000 is not a whole number of 16-16384. ${fix}`,
      `- services[fraction].pidsLimit: 99.5 is not a whole number of 16-16384. ${fix}`,
      `- services[fraction].companions[worker].pidsLimit: 0 is not a whole number of 16-16384. ${fix}`,
    ]);
  });

  test("fails a Docker socket mount and a root user without a grant, and an empty reason, all at once", () => {
    const spec = withExtraServices(
      goodSpec,
      extra("sockety", { bindMounts: [{ hostPath: "/var/run/docker.sock", containerPath: "/var/run/docker.sock", readOnly: false }] }),
      extra("rooty", { user: "0:0" }),
      extra("excused", { user: "root", privileges: [{ kind: "root-user", reason: " " }] }),
    );
    expect(lines(spec)).toEqual([
      '- services[sockety].bindMounts[0]: "/var/run/docker.sock" mounts the Docker socket, which is root on the host. Fix: remove it, or add privileges: [{ kind: "docker-socket", reason: "..." }] to services[sockety] if the service cannot work without it.',
      '- services[rooty].user: "0:0" runs the container as root. Fix: use the image\'s own user, or add privileges: [{ kind: "root-user", reason: "..." }] to services[rooty].',
      '- services[excused].privileges[0].reason: " " is empty. Fix: say why the service needs this power over its host.',
    ]);
  });

  test("Portainer without its grant fails on the server's and the agent's socket", () => {
    const out = lines(withService(goodSpec, "portainer", { privileges: [] }));
    expect(out).toHaveLength(2);
    expect(out[0]).toMatch(/^- services\[portainer\]\.bindMounts\[0\]: "\/var\/run\/docker\.sock" mounts the Docker socket/);
    expect(out[1]).toMatch(/^- services\[portainer\]\.agent\.bindMounts\[0\]: "\/var\/run\/docker\.sock" mounts the Docker socket/);
  });
});
