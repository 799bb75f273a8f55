import { HostSpec } from "./types";

/**
 * Memory capacity of the hosts: Hetzner server types by name, and the budget the long-running
 * containers' memory limits must fit in (RAM minus a reserve for the OS). The policy
 * host-memory-fits (policies/) checks every synthesized host stack against it.
 */

export interface HcloudServerType {
  readonly vcpus: number;
  readonly memoryMb: number;
  readonly diskGb: number;
  readonly arch: "x86" | "arm64";
  /** Monthly price in EUR (excl. VAT) where a source was read; see docs/architecture.md. */
  readonly priceEurMonthly?: number;
}

/**
 * Hetzner Cloud server types (vCPU, RAM, disk) as listed by docs.cnap.tech/compute/providers/hetzner
 * and docs.vdhome.be/reference/costs (read 2026-12; prices are those of April 2026, after the
 * 1 April 2026 adjustment; Hetzner reprices new orders and rescales from 15 June 2026, so check the
 * console before resizing). cx22 was removed from the API at the end of 2025.
 */
export const HCLOUD_SERVER_TYPES: Readonly<Record<string, HcloudServerType>> = {
  cx23: { vcpus: 2, memoryMb: 4096, diskGb: 40, arch: "x86", priceEurMonthly: 3.99 },
  cx33: { vcpus: 4, memoryMb: 8192, diskGb: 80, arch: "x86", priceEurMonthly: 6.49 },
  cx43: { vcpus: 8, memoryMb: 16384, diskGb: 160, arch: "x86" },
  cx53: { vcpus: 16, memoryMb: 32768, diskGb: 320, arch: "x86" },
  cpx22: { vcpus: 3, memoryMb: 4096, diskGb: 80, arch: "x86" },
  cpx32: { vcpus: 4, memoryMb: 8192, diskGb: 160, arch: "x86" },
  cax11: { vcpus: 2, memoryMb: 4096, diskGb: 40, arch: "arm64" },
  cax21: { vcpus: 4, memoryMb: 8192, diskGb: 80, arch: "arm64" },
  cax31: { vcpus: 8, memoryMb: 16384, diskGb: 160, arch: "arm64" },
};

/** Memory kept free for the OS when a host does not say (kernel, dockerd, containerd, tailscaled, sshd, step containers). */
export const DEFAULT_OS_RESERVE_MB = 1024;

/** The server type a Hetzner VM is created with when the spec does not say. */
export const DEFAULT_HCLOUD_SERVER_TYPE = "cx23";

/** The host's RAM in MB: declared for existing machines, from the server type for VMs. */
export function hostMemoryMb(host: HostSpec): number | undefined {
  if (host.provisioning.kind === "hcloud") {
    return host.memoryMb ?? HCLOUD_SERVER_TYPES[host.provisioning.serverType ?? DEFAULT_HCLOUD_SERVER_TYPE]?.memoryMb;
  }
  return host.memoryMb;
}

export function osReserveMb(host: HostSpec): number {
  return host.osReserveMb ?? DEFAULT_OS_RESERVE_MB;
}

/** What the long-running containers' limits may add up to; undefined when the RAM is unknown. */
export function containerBudgetMb(host: HostSpec): number | undefined {
  const ram = hostMemoryMb(host);
  return ram === undefined ? undefined : ram - osReserveMb(host);
}

/** Whether the host is expected to be up all the time. */
export function isAlwaysOn(host: HostSpec): boolean {
  return host.alwaysOn ?? host.provisioning.kind === "hcloud";
}
