import { Testing } from "cdktf";
import { stackNames } from "../../app";
import { primaryHost } from "../../homelab/derive";
import { goodSpec } from "../fixtures/specs";
import { check, findingsOf, freshHomelab, rawContainer } from "./helpers";

const primary = primaryHost(goodSpec).name;
const other = goodSpec.hosts.find((h) => h.name !== primary)!.name;

describe("no-public-port", () => {
  test("fails containers publishing on 0.0.0.0, :: or with no ip, naming each", () => {
    const lab = freshHomelab();
    const stack = lab.stacks.hosts.get(other)!;
    rawContainer(stack, "no-ip", { ports: [{ internal: 80, external: 8081 }] });
    rawContainer(stack, "any-v4", { ports: [{ internal: 80, external: 8082, ip: "0.0.0.0" }] });
    rawContainer(stack, "any-v6", { ports: [{ internal: 80, external: 8083, ip: "::" }] });
    rawContainer(stack, "tailnet-only", { ports: [{ internal: 80, external: 8084, ip: stack.tailscaleAddress }] });
    const found = findingsOf(check(lab), "no-public-port");
    expect(found.map((f) => f.path).sort()).toEqual([`${stackNames.host(other)}/any-v4`, `${stackNames.host(other)}/any-v6`, `${stackNames.host(other)}/no-ip`]);
    const noIp = found.find((f) => f.path.endsWith("/no-ip"))!;
    expect(noIp.problem).toMatch(/8081->80.*unset, which Docker reads as 0\.0\.0\.0/);
    expect(noIp.address).toMatch(/^docker_container\.no-ip$/);
    expect(noIp.fix).toMatch(/Tailscale address/);
  });
});

describe("database-tailscale-only", () => {
  test("fails a database port on a public address, on another host's variable, and a host-networked database", () => {
    const lab = freshHomelab();
    const stack = lab.stacks.hosts.get(primary)!;
    const otherStack = lab.stacks.hosts.get(other)!;
    rawContainer(stack, "public-redis", { ports: [{ internal: 6379, external: 6379, ip: "203.0.113.7" }] });
    // A container on the other host bound to the primary's Tailscale address (a cross-stack
    // output of a tailscale variable, but the wrong host's).
    rawContainer(otherStack, "wrong-host-mysql", {
      labels: [{ label: "org.kitestacks.host", value: other }],
      ports: [{ internal: 3306, external: 3306, ip: stack.tailscaleAddress }],
    });
    rawContainer(stack, "host-net-db", { networkMode: "host", labels: [{ label: "org.kitestacks.role", value: "database" }] });
    rawContainer(stack, "lan-postgres", { ports: [{ internal: 5432, external: 15432, ip: "192.168.1.10" }] });
    const found = findingsOf(check(lab), "database-tailscale-only");
    expect(found.map((f) => f.path.split("/").pop()).sort()).toEqual(["host-net-db", "public-redis", "wrong-host-mysql"]);
    expect(found.find((f) => f.path.endsWith("public-redis"))!.problem).toMatch(/non-internal address 203\.0\.113\.7/);
    expect(found.find((f) => f.path.endsWith("wrong-host-mysql"))!.problem).toMatch(new RegExp(`binds ${stackNames.host(primary)}:\\$\\{var\\.tailscale_ip_${primary}\\}, which is not var\\.tailscale_ip_${other}`));
    expect(found.find((f) => f.path.endsWith("host-net-db"))!.problem).toMatch(/host's network namespace/);
  });

  test("passes the shared Postgres: bound to its host's tailscale_ip variable", () => {
    const lab = freshHomelab();
    expect(findingsOf(check(lab), "database-tailscale-only")).toEqual([]);
    const stack = lab.stacks.hosts.get(primary)!;
    const pg = JSON.parse(Testing.synth(stack)).resource.docker_container[stack.sharedPostgres!.server.container.friendlyUniqueId];
    expect(pg.ports).toEqual([expect.objectContaining({ ip: `\${var.tailscale_ip_${primary}}` })]);
  });
});

describe("long-running container rules", () => {
  test("fail a bare container on restart, healthcheck, log rotation and a floating image", () => {
    const lab = freshHomelab();
    const stack = lab.stacks.hosts.get(other)!;
    rawContainer(stack, "bare", { restart: undefined, healthcheck: undefined, logDriver: undefined, logOpts: undefined, image: "nginx:latest" });
    rawContainer(stack, "disabled-hc", { healthcheck: { test: ["NONE"] }, logOpts: { "max-file": "3" } });
    const report = check(lab);
    const at = (rule: string) => findingsOf(report, rule).map((f) => f.path.split("/").pop()).sort();
    expect(at("container-restart-policy")).toEqual(["bare"]);
    expect(at("container-healthcheck")).toEqual(["bare", "disabled-hc"]);
    expect(at("container-log-rotation")).toEqual(["bare", "disabled-hc"]);
    expect(at("container-pinned-image")).toEqual(["bare"]);
    expect(findingsOf(report, "container-restart-policy")[0].problem).toMatch(/Docker's default: no/);
    expect(findingsOf(report, "container-pinned-image")[0].problem).toMatch(/nginx:latest uses the floating tag latest/);
  });

  test("one-shot containers (role job) are exempt from them, not from no-public-port", () => {
    const lab = freshHomelab();
    rawContainer(lab.stacks.hosts.get(other)!, "one-shot", {
      restart: "no",
      healthcheck: undefined,
      logDriver: undefined,
      image: "busybox",
      labels: [{ label: "org.kitestacks.role", value: "job" }],
      ports: [{ internal: 1, external: 1 }],
    });
    const report = check(lab);
    expect(report.errors.map((f) => f.rule)).toEqual(["no-public-port"]);
  });

  test("pinned-image follows the container to its docker_image: untagged pulls and built images without a content hash fail", async () => {
    const { Image } = await import("@cdktf/provider-docker/lib/image");
    const lab = freshHomelab();
    const stack = lab.stacks.hosts.get(other)!;
    const untagged = new Image(stack, "untagged", { name: "ghcr.io/example/app" });
    const built = new Image(stack, "built-no-hash", { name: "kitestacks/x:dev", buildAttribute: { context: "/tmp" } });
    const digest = new Image(stack, "by-digest", { name: `example/app@sha256:${"a".repeat(64)}` });
    rawContainer(stack, "uses-untagged", { image: untagged.imageId });
    rawContainer(stack, "uses-built", { image: built.imageId });
    rawContainer(stack, "uses-digest", { image: digest.imageId });
    const found = findingsOf(check(lab), "container-pinned-image");
    expect(found.map((f) => f.path.split("/").pop()).sort()).toEqual(["uses-built", "uses-untagged"]);
    expect(found.find((f) => f.path.endsWith("uses-untagged"))!.problem).toMatch(/docker_image\.untagged \(ghcr\.io\/example\/app\) has no tag/);
    expect(found.find((f) => f.path.endsWith("uses-built"))!.problem).toMatch(/no content-hash trigger/);
  });
});
