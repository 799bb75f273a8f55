import { HostSpec } from "./types";

/** The machines of the homelab. Adding one here gives it its own stacks with no code change. */
export const hosts: readonly HostSpec[] = [
  {
    name: "monk",
    description: "Home server (ThinkPad T14s) behind home NAT; the development host",
    provisioning: { kind: "existing" },
    sshUser: "deploy",
  },
  {
    name: "kscloud1",
    description: "Hetzner Cloud VM: always-live replica and home of the shared Postgres",
    provisioning: {
      kind: "hcloud",
      serverType: "cx23",
      image: "debian-13",
      location: "nbg1",
      backups: true,
      tailscaleTags: ["tag:server"],
    },
    sshUser: "deploy",
  },
];
