import { spawnSync } from "node:child_process";
import { METADATA_ADDRESS, METADATA_BLOCK_COMMAND, METADATA_BLOCK_DROP_IN } from "../../constructs/cloud-init-docker-host";
import { goodSpec } from "../fixtures/specs";
import { synthHomelab } from "../helpers/synth";
import { parse } from "yaml";

/** Containers cannot reach the cloud metadata address (kscloud1's user-data). */
describe("metadata address blocked for containers", () => {
  test("the VM's cloud-config writes the docker.service drop-in", () => {
    const lab = synthHomelab(goodSpec);
    const [vm] = [...lab.stacks.vms.values()];
    const server = Object.values((lab.json(vm).resource as any).hcloud_server)[0] as { user_data: string };
    const config = parse(server.user_data.replace(/^#cloud-config\n/, "")) as { write_files: { path: string; content: string }[] };
    const dropIn = config.write_files.find((f) => f.path === METADATA_BLOCK_DROP_IN.path)!;
    expect(dropIn.content).toBe(METADATA_BLOCK_DROP_IN.content);
    expect(dropIn.content).toContain(`ExecStartPost=/bin/sh -c '${METADATA_BLOCK_COMMAND}'`);
  });

  // The command with the real iptables, in a network namespace of the test's own (unshare -n):
  // it adds one REJECT for the address to DOCKER-USER, and a second run (a daemon restart) adds none.
  test("the command adds exactly one REJECT rule, idempotently (real iptables in its own netns)", () => {
    const script = `iptables -N DOCKER-USER && ${METADATA_BLOCK_COMMAND} && ${METADATA_BLOCK_COMMAND} && iptables -S DOCKER-USER`;
    const r = spawnSync("unshare", ["-n", "sh", "-c", script], { encoding: "utf8" });
    expect([r.status, r.stderr]).toEqual([0, ""]);
    const rules = r.stdout.split("\n").filter((l) => l.startsWith("-A DOCKER-USER"));
    expect(rules).toEqual([`-A DOCKER-USER -d ${METADATA_ADDRESS}/32 -j REJECT --reject-with icmp-port-unreachable`]);
  });
});
