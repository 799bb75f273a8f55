/**
 * The containers, volumes and network of one applied host stack, written as a Docker Compose
 * file (format 2.4, what Debian's docker-compose reads): the baseline of bench/e2e-plan.ts and
 * a start for an adoption test. Values come from the Terraform state (every reference
 * resolved); which attributes to carry comes from the synthesized configuration, so an
 * attribute the stack does not set is left to each tool's default on both sides.
 *
 * Not carried (compose has no equivalent): post-start steps (terraform_data), image builds
 * (the images the apply built are used by tag). Uploaded files become read-only bind mounts
 * of files written under `filesDir`, which the engine's host must see at the same path.
 */
import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { stringify } from "yaml";
import { SynthesizedStack } from "./synth";

interface StateResource {
  readonly type: string;
  readonly name: string;
  readonly instances: { readonly attributes: Record<string, any> }[];
}

export interface ComposeProject {
  /** The compose file's text. */
  readonly text: string;
  /** Container names, as both tools name them. */
  readonly containers: readonly string[];
  readonly volumes: readonly string[];
  readonly networks: readonly string[];
}

const labelsOf = (list: { label: string; value: string }[] | undefined) => Object.fromEntries((list ?? []).map((l) => [l.label, l.value]));

export function composeFromState(stack: SynthesizedStack, state: { resources: readonly StateResource[] }, filesDir: string): ComposeProject {
  const byAddress = new Map(state.resources.filter((r) => r.instances.length > 0).map((r) => [`${r.type}.${r.name}`, r.instances[0].attributes]));
  const config = (stack.json.resource?.docker_container ?? {}) as Record<string, Record<string, unknown>>;
  const services: Record<string, Record<string, unknown>> = {};
  const volumes: Record<string, unknown> = {};
  const networks: Record<string, unknown> = {};
  for (const [id, net] of Object.entries((stack.json.resource?.docker_network ?? {}) as Record<string, unknown>)) {
    const a = byAddress.get(`docker_network.${id}`);
    if (!a) throw new Error(`docker_network.${id} is not in the state`);
    void net;
    networks[a.name] = {
      name: a.name,
      driver: a.driver,
      ...(a.internal ? { internal: true } : {}),
      ...(a.ipam_config?.length ? { ipam: { config: a.ipam_config.map((c: any) => ({ subnet: c.subnet, ...(c.gateway ? { gateway: c.gateway } : {}) })) } } : {}),
      labels: labelsOf(a.labels),
    };
  }
  for (const id of Object.keys((stack.json.resource?.docker_volume ?? {}) as Record<string, unknown>)) {
    const a = byAddress.get(`docker_volume.${id}`);
    if (!a) throw new Error(`docker_volume.${id} is not in the state`);
    volumes[a.name] = { name: a.name, ...(a.driver && a.driver !== "local" ? { driver: a.driver } : {}), labels: labelsOf(a.labels) };
  }
  for (const [id, c] of Object.entries(config)) {
    const a = byAddress.get(`docker_container.${id}`);
    if (!a) throw new Error(`docker_container.${id} is not in the state`);
    const has = (k: string) => c[k] !== undefined;
    const imageRef = /\$\{(docker_image\.[^.]+)\.image_id\}/.exec(String(c.image));
    const image = imageRef ? byAddress.get(imageRef[1])?.name : String(c.image);
    if (!image) throw new Error(`docker_container.${id}: image ${String(c.image)} not found in the state`);
    const s: Record<string, unknown> = { container_name: a.name, image };
    if (has("command") && a.command?.length) s.command = a.command;
    if (has("entrypoint") && a.entrypoint?.length) s.entrypoint = a.entrypoint;
    if (has("env")) s.environment = [...(a.env ?? [])].sort();
    if (has("user") && a.user) s.user = a.user;
    if (has("restart")) s.restart = a.restart;
    if (has("memory") && a.memory) s.mem_limit = `${a.memory}m`;
    if (has("memory_swap") && a.memory_swap) s.memswap_limit = a.memory_swap > 0 ? `${a.memory_swap}m` : a.memory_swap;
    if (has("shm_size") && a.shm_size) s.shm_size = `${a.shm_size}m`;
    if (has("security_opts")) s.security_opt = a.security_opts;
    if (has("log_driver")) s.logging = { driver: a.log_driver, options: a.log_opts ?? {} };
    if (has("healthcheck") && a.healthcheck?.[0]) {
      const hc = a.healthcheck[0];
      s.healthcheck = { test: hc.test, interval: hc.interval, timeout: hc.timeout, retries: hc.retries, start_period: hc.start_period };
    }
    s.labels = labelsOf(a.labels);
    if (has("sysctls")) s.sysctls = a.sysctls;
    if (has("read_only") && a.read_only) s.read_only = true;
    if (has("tmpfs") && a.tmpfs) s.tmpfs = Object.entries(a.tmpfs as Record<string, string>).map(([p, o]) => (o ? `${p}:${o}` : p));
    if (has("capabilities") && a.capabilities?.[0]) {
      if (a.capabilities[0].add?.length) s.cap_add = a.capabilities[0].add;
      if (a.capabilities[0].drop?.length) s.cap_drop = a.capabilities[0].drop;
    }
    if (has("pid_mode") && a.pid_mode) s.pid = a.pid_mode;
    if (has("ipc_mode") && a.ipc_mode) s.ipc = a.ipc_mode;
    if (has("stop_signal") && a.stop_signal) s.stop_signal = a.stop_signal;
    if (has("working_dir") && a.working_dir) s.working_dir = a.working_dir;
    if (has("group_add") && a.group_add?.length) s.group_add = a.group_add;
    if (a.network_mode === "host") s.network_mode = "host";
    else if (a.networks_advanced?.length) {
      s.networks = Object.fromEntries(
        a.networks_advanced.map((n: any) => [n.name, { ...(n.aliases?.length ? { aliases: n.aliases } : {}), ...(n.ipv4_address ? { ipv4_address: n.ipv4_address } : {}) }]),
      );
    }
    if (a.ports?.length) s.ports = a.ports.map((p: any) => `${p.ip && p.ip !== "0.0.0.0" ? `${p.ip}:` : ""}${p.external}:${p.internal}/${p.protocol ?? "tcp"}`);
    const mounts: string[] = [];
    for (const v of a.volumes ?? []) {
      const src = v.volume_name || v.host_path;
      mounts.push(`${src}:${v.container_path}${v.read_only ? ":ro" : ""}`);
    }
    for (const m of a.mounts ?? []) {
      if (m.type === "bind" || m.type === "volume") mounts.push(`${m.source}:${m.target}${m.read_only ? ":ro" : ""}`);
    }
    for (const u of a.upload ?? []) {
      const file = join(filesDir, a.name, u.file);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, u.content_base64 ? Buffer.from(u.content_base64, "base64") : u.content);
      chmodSync(file, u.permissions ? parseInt(u.permissions, 8) : u.executable ? 0o755 : 0o644);
      mounts.push(`${file}:${u.file}:ro`);
    }
    if (mounts.length > 0) s.volumes = mounts;
    services[a.name] = s;
  }
  const doc = { version: "2.4", services, ...(Object.keys(volumes).length ? { volumes } : {}), ...(Object.keys(networks).length ? { networks } : {}) };
  return { text: stringify(doc, { lineWidth: 0 }), containers: Object.keys(services), volumes: Object.keys(volumes), networks: Object.keys(networks) };
}
