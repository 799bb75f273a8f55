import { HostSpec } from "./types";

/** The machines of the homelab. Adding one here gives it its own stacks with no code change. */
export const hosts: readonly HostSpec[] = [
  {
    name: "monk",
    description: "Home server (ThinkPad T14s) behind home NAT; the development host",
    provisioning: { kind: "existing" },
    sshUser: "deploy",
    // A T14s has 16 or 32 GB soldered; the owner's docs do not say which, so the smaller is
    // assumed: confirm with `free -m` on monk and correct it here.
    memoryMb: 16384,
    // Away when the owner travels: services homed here are unavailable then (docs/architecture.md).
    alwaysOn: false,
  },
  {
    name: "kscloud1",
    description: "Hetzner Cloud VM: always-live replica and home of the shared Postgres",
    provisioning: {
      kind: "hcloud",
      // cx33 (4 vCPU, 8 GB, 80 GB; EUR 6.49/month, April 2026): the long-running containers homed
      // and replicated here need about 6 GB of limits, more than a cx23's 4 GB. A change resizes
      // the server in place; keepDisk (default) keeps its 40 GB disk so it can be resized back.
      serverType: "cx33",
      image: "debian-13",
      location: "nbg1",
      backups: true,
      tailscaleTags: ["tag:server"],
    },
    sshUser: "deploy",
  },
];
