import { TerraformResource } from "cdktf";
import { stackNames } from "../../app";
import { connectorHosts, internalUrl, publicHostnames } from "../../homelab/derive";
import { goodSpec } from "../fixtures/specs";
import { check, findingsOf, freshHomelab } from "./helpers";

const hostNetworked = goodSpec.services.find((s) => s.hostNamespaces)!;

describe("ingress-on-every-connector", () => {
  test("fails a route whose container is missing, or host-networked, on a connector host", () => {
    const lab = freshHomelab();
    const config = lab.app.node
      .findAll()
      .find((c): c is TerraformResource => c instanceof TerraformResource && c.terraformResourceType === "cloudflare_zero_trust_tunnel_cloudflared_config")!;
    const routes = publicHostnames(goodSpec).map(({ hostname, service }) => ({ hostname, service: internalUrl(service) }));
    config.addOverride("config.ingress", [
      ...routes,
      { hostname: `ghost.${goodSpec.domain}`, service: "http://ghost:80" },
      { hostname: `stats.${goodSpec.domain}`, service: internalUrl(hostNetworked) },
      { service: "http_status:404" },
    ]);
    const found = findingsOf(check(lab), "ingress-on-every-connector");
    const connectors = connectorHosts(goodSpec).map((h) => stackNames.host(h.name));
    expect(found.map((f) => f.problem).sort()).toEqual(
      [
        ...connectors.map((s) => `ghost.${goodSpec.domain} routes to ghost, which has no container on connector stack ${s}`),
        ...connectors.map(
          (s) => `stats.${goodSpec.domain} routes to ${hostNetworked.name}, which uses the host network, so cloudflared cannot reach it by name on connector stack ${s}`,
        ),
      ].sort(),
    );
    expect(found[0].stack).toBe(stackNames.edge);
    expect(found[0].value).toBe("http://ghost:80");
  });

  test("passes the real spec: every hostname's container on every connector host", () => {
    expect(findingsOf(check(freshHomelab()), "ingress-on-every-connector")).toEqual([]);
  });
});
