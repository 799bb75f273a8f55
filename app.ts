import { App } from "cdktf";
import { Adoption } from "./homelab/adoption";
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
  /**
   * Build arguments per build folder, e.g. `{ portal: { NGINX_IMAGE: "..." } }`. Only the
   * end-to-end test sets them (its hosts reach no registry, so it supplies base images).
   * @default the app context's `kitestacks:buildArgs`, else none (production)
   */
  readonly buildArgs?: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /**
   * What already exists (adoption.json, checked with validateAdoption): imported, not created.
   * @default nothing: a fresh homelab
   */
  readonly adoption?: Adoption;
}

/** App context key the build arguments can also come from (`new App({ context })`, cdktf.json). */
export const BUILD_ARGS_CONTEXT = "kitestacks:buildArgs";

/** Reads and checks the build arguments from the app context. */
export function buildArgsFromContext(app: App): Record<string, Record<string, string>> | undefined {
  const raw: unknown = app.node.tryGetContext(BUILD_ARGS_CONTEXT);
  if (raw === undefined) return undefined;
  const problems: string[] = [];
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    problems.push(`${BUILD_ARGS_CONTEXT}: ${JSON.stringify(raw)} is not an object. Fix: {"<build folder>": {"<ARG>": "<value>"}}.`);
  } else {
    for (const [folder, args] of Object.entries(raw)) {
      if (typeof args !== "object" || args === null || Array.isArray(args)) {
        problems.push(`${BUILD_ARGS_CONTEXT}.${folder}: ${JSON.stringify(args)} is not an object of build arguments. Fix: {"<ARG>": "<value>"}.`);
        continue;
      }
      for (const [name, value] of Object.entries(args)) {
        if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name) || typeof value !== "string") {
          problems.push(`${BUILD_ARGS_CONTEXT}.${folder}.${name}: ${JSON.stringify(value)} is not a build argument. Fix: a name of letters, digits and _ with a string value.`);
        }
      }
    }
  }
  if (problems.length > 0) throw new Error(`The build arguments have problems:\n  - ${problems.join("\n  - ")}`);
  return raw as Record<string, Record<string, string>>;
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
  const buildArgs = options.buildArgs ?? buildArgsFromContext(app);
  const common = { spec, backend: options.backend, adoption: options.adoption };
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
      buildArgs,
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
