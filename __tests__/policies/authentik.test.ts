import { Container } from "@cdktf/provider-docker/lib/container";
import { Testing } from "cdktf";
import { stackNames } from "../../app";
import { HomelabSpec } from "../../homelab/types";
import { identityProvider, primaryHost } from "../../homelab/derive";
import { goodSpec } from "../fixtures/specs";
import { check, findingsOf, freshHomelab } from "./helpers";

const pg = goodSpec.sharedPostgres!;
const idp = identityProvider(goodSpec)!;
const other = goodSpec.hosts.find((h) => h.name !== primaryHost(goodSpec).name)!.name;

/** The env list of a container with some entries replaced. */
function patchEnv(lab: ReturnType<typeof freshHomelab>, container: Container, patch: Record<string, string>): void {
  // The stacks are prepared by buildHomelab's policy gate, so cross-stack references are resolved.
  const json = JSON.parse(Testing.synth(lab.stacks.hosts.get(other)!));
  const env = (json.resource.docker_container[container.friendlyUniqueId].env as string[]).map((e) => {
    const name = e.slice(0, e.indexOf("="));
    return name in patch ? `${name}=${patch[name]}` : e;
  });
  container.addOverride("env", env);
}

describe("authentik-one-database", () => {
  test("passes the real spec: container name on the primary host, its Tailscale address elsewhere, one secret key", () => {
    expect(findingsOf(check(freshHomelab()), "authentik-one-database")).toEqual([]);
  });

  test("fails another database, another name and another secret key on the other host", () => {
    const lab = freshHomelab();
    const service = lab.stacks.hosts.get(other)!.services.get(idp.name)!;
    patchEnv(lab, service.main.container, {
      AUTHENTIK_POSTGRESQL__HOST: "10.0.0.5",
      AUTHENTIK_POSTGRESQL__NAME: "authentik_local",
      AUTHENTIK_SECRET_KEY: "${var.admin_email}",
    });
    const found = findingsOf(check(lab), "authentik-one-database");
    expect(found.every((f) => f.severity === "error" && f.path.endsWith(`service-${idp.name}/main/container`))).toBe(true);
    expect(found.map((f) => f.problem)).toEqual([
      `AUTHENTIK_POSTGRESQL__HOST reaches no database container of this app, but ${pg.host}'s Authentik uses ${stackNames.host(pg.host)}/${pg.containerName}`,
      expect.stringMatching(/^AUTHENTIK_POSTGRESQL__NAME differs/),
      expect.stringMatching(/^AUTHENTIK_SECRET_KEY differs/),
    ]);
    expect(found[0].value).toBe("10.0.0.5");
  });

  test("the documented rollback (authentikLocalFallbackOn) is a warning, not an error", () => {
    const fallback: HomelabSpec = { ...goodSpec, sharedPostgres: { ...pg, authentikLocalFallbackOn: [other] } };
    const report = check(freshHomelab(fallback));
    expect(report.errors).toEqual([]);
    const warned = findingsOf(report, "authentik-one-database");
    expect(warned.length).toBeGreaterThan(0);
    expect(warned.every((f) => f.severity === "warning" && f.stack.startsWith(other))).toBe(true);
    expect(warned[0].problem).toMatch(new RegExp(`rollback: ${other} is in sharedPostgres\\.authentikLocalFallbackOn`));
  });
});
