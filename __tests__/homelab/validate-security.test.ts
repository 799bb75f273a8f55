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

  test("fails a service or agent without a declared capability set, unknown or doubled names, an empty dockerDefault reason, all at once", () => {
    const portainer = serviceOf(kitestacks, "portainer");
    const bare = { ...extra("bare") } as Record<string, unknown>;
    delete bare.capabilities;
    const spec = withExtraServices(
      goodSpec,
      bare as unknown as ServiceSpec,
      extra("typo", { capabilities: { add: ["cap_chown", "CHOWN", "CHOWN", "ROOT"] } as never }),
      extra("both", { capabilities: { add: [], dockerDefault: "x" } as never }),
      extra("shrug", { capabilities: { dockerDefault: "  " } }),
      extra("agented", { agent: { ...portainer.agent!, name: "agent", capabilities: undefined as never } }),
    );
    const shapes = '{ add: [...] } (Docker\'s default set is dropped and only these are given back: read the image\'s entrypoint at its pinned tag and note the upstream path beside it), or { dockerDefault: "why" }';
    const got = lines(spec);
    expect(got).toEqual(expect.arrayContaining([
      `- services[bare].capabilities: undefined is not declared. Fix: declare ${shapes}.`,
      '- services[typo].capabilities.add[0]: "cap_chown" is not a Linux capability. Fix: write its name as Docker takes it, without CAP_ (e.g. "CHOWN").',
      '- services[typo].capabilities.add[2]: "CHOWN" is listed twice. Fix: list each capability once.',
      '- services[typo].capabilities.add[3]: "ROOT" is not a Linux capability. Fix: write its name as Docker takes it, without CAP_ (e.g. "CHOWN").',
      `- services[both].capabilities: {"add":[],"dockerDefault":"x"} has both add and dockerDefault. Fix: declare ${shapes}.`,
      "- services[shrug].capabilities.dockerDefault: \"  \" is empty. Fix: say why this container keeps Docker's default capability set, or list what it needs in add.",
      `- services[agented].agent.capabilities: undefined is not declared. Fix: declare ${shapes}.`,
    ]));
    expect(got.filter((l) => l.includes(".capabilities"))).toHaveLength(7);
  });

  test("every service and agent of the real homelab declares its capabilities; only Portainer's agent keeps Docker's default set", () => {
    const declared = kitestacks.services.flatMap((s) => [
      [s.name, "add" in s.capabilities ? "add" : "dockerDefault"],
      ...(s.agent ? [[`${s.name}-${s.agent.name}`, "add" in s.agent.capabilities ? "add" : "dockerDefault"]] : []),
    ]);
    expect(declared.filter(([, kind]) => kind === "dockerDefault")).toEqual([["portainer-agent", "dockerDefault"]]);
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
