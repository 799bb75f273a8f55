import { App } from "cdktf";
import { hostsInDeployOrder } from "./homelab/derive";
import { validateSpec } from "./homelab/validate";
import { HomelabSpec } from "./homelab/types";
import { enforcePolicies } from "./policies";
import { EdgeStack } from "./stacks/edge-stack";
import { HostStack } from "./stacks/host-stack";
import { StateBackendConfig } from "./stacks/state-backend";
import { VmStack } from "./stacks/vm-stack";

export interface HomelabStacks {
  readonly edge: EdgeStack;
  /** One per host the app creates (provisioning kind hcloud), by host name. */
  readonly vms: ReadonlyMap<string, VmStack>;
  /** One per host, by host name, in deploy order. */
  readonly hosts: ReadonlyMap<string, HostStack>;
}

export interface BuildHomelabOptions {
  /** @default local state */
  readonly backend?: StateBackendConfig;
  /** Where build folders (portal/, metrics/) live. @default process.cwd() */
  readonly repoRoot?: string;
}

/** Stack names, so docs, CI and tests use the same ones. */
export const stackNames = {
  edge: "edge",
  vm: (host: string) => `${host}-vm`,
  host: (host: string) => `${host}-docker`,
};

/**
 * Validates the spec, then builds every stack. Throws before creating anything when the spec
 * has problems, so a bad spec never leaves a half-written cdktf.out behind.
 */
export function buildHomelab(app: App, spec: HomelabSpec, options: BuildHomelabOptions = {}): HomelabStacks {
  validateSpec(spec, options.repoRoot);
  const common = { spec, backend: options.backend };
  const edge = new EdgeStack(app, stackNames.edge, common);
  const vms = new Map<string, VmStack>();
  const hosts = new Map<string, HostStack>();
  for (const host of hostsInDeployOrder(spec)) {
    const primary = hosts.values().next().value as HostStack | undefined;
    const stack = new HostStack(app, stackNames.host(host.name), {
      ...common,
      host,
      edge,
      primary,
      repoRoot: options.repoRoot,
    });
    stack.addDependency(edge);
    if (primary) stack.addDependency(primary);
    if (host.provisioning.kind === "hcloud") {
      const vm = new VmStack(app, stackNames.vm(host.name), { ...common, host });
      // The first VM stack creates the Hetzner SSH key that later VMs refer to by name.
      const firstVm = vms.values().next().value as VmStack | undefined;
      if (firstVm) vm.addDependency(firstVm);
      stack.addDependency(vm);
      vms.set(host.name, vm);
    }
    hosts.set(host.name, stack);
  }
  // Policy gate (policies/): one error listing every finding, before app.synth() writes anything.
  enforcePolicies(app, spec);
  return { edge, vms, hosts };
}
