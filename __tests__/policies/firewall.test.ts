import { HomelabSpec, HostSpec } from "../../homelab/types";
import { goodSpec } from "../fixtures/specs";
import { check, findingsOf, freshHomelab, rawResource } from "./helpers";

const vmHost = goodSpec.hosts.find((h) => h.provisioning.kind === "hcloud")!;

/** The spec with the VM host opening HTTPS to the world on purpose. */
const withHttpsOpen: HomelabSpec = {
  ...goodSpec,
  hosts: goodSpec.hosts.map((h): HostSpec =>
    h === vmHost && h.provisioning.kind === "hcloud"
      ? { ...h, provisioning: { ...h.provisioning, firewallInbound: [{ protocol: "tcp", port: "443", sourceCidrs: ["0.0.0.0/0", "::/0"], reason: "fixture" }] } }
      : h,
  ),
};

describe("firewall-allow-list", () => {
  test("fails world-open inbound rules the spec does not list; outbound and tailnet rules pass", () => {
    const lab = freshHomelab(withHttpsOpen);
    const vm = lab.stacks.vms.get(vmHost.name)!;
    rawResource(vm, "rogue-firewall", "hcloud_firewall", {
      name: "rogue",
      rule: [
        { direction: "in", protocol: "tcp", port: "443", source_ips: ["0.0.0.0/0", "::/0"] },
        { direction: "in", protocol: "tcp", port: "22", source_ips: ["0.0.0.0/0"] },
        { direction: "in", protocol: "tcp", port: "5432", source_ips: ["::/0", "100.64.0.0/10"] },
        { direction: "in", protocol: "udp", port: "41641", source_ips: ["100.64.0.0/10"] },
        { direction: "out", protocol: "tcp", port: "7844", destination_ips: ["0.0.0.0/0", "::/0"] },
      ],
    });
    const found = findingsOf(check(lab), "firewall-allow-list");
    expect(found.map((f) => f.problem)).toEqual([
      "rule[1] (tcp 22) is open to 0.0.0.0/0 and the spec's firewallInbound does not list it",
      "rule[2] (tcp 5432) is open to ::/0 and the spec's firewallInbound does not list it",
    ]);
    expect(found[0].address).toBe("hcloud_firewall.rogue-firewall");
    expect(found[0].fix).toMatch(/firewallInbound/);
  });

  test("the same HTTPS rule fails when the spec does not allow it", () => {
    const lab = freshHomelab();
    rawResource(lab.stacks.vms.get(vmHost.name)!, "https", "hcloud_firewall", {
      rule: [{ direction: "in", protocol: "tcp", port: "443", source_ips: ["0.0.0.0/0"] }],
    });
    expect(findingsOf(check(lab), "firewall-allow-list")).toHaveLength(1);
  });
});
