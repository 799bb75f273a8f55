import { Volume, VolumeConfig } from "@cdktf/provider-docker/lib/volume";
import { AdoptedVolume, dockerVolumeName } from "../homelab/adoption";

/**
 * How a data volume takes over what already exists on the host (adoption.json), used by
 * HostedService and SharedPostgres alike:
 * - an existing Docker volume keeps its own name and is imported (`import` block, id = the
 *   name). Its labels are ignored: Docker cannot change a volume's labels, so the provider marks
 *   them ForceNew, and compose's labels (com.docker.compose.*) would otherwise replace it;
 * - a host directory (a compose bind mount) becomes a local volume bound to it (`type=none,
 *   o=bind`, what `docker volume create --opt` documents): the files stay where they are, and the
 *   backup job mounts it like any volume;
 * - `fresh` (or nothing adopted): the usual new, empty volume.
 */
export function adoptedVolumeConfig(
  adopted: AdoptedVolume | undefined,
  config: VolumeConfig & { readonly name: string },
): VolumeConfig {
  if (!adopted || "fresh" in adopted) return config;
  if ("bindPath" in adopted) {
    return { ...config, driver: "local", driverOpts: { type: "none", o: "bind", device: adopted.bindPath } };
  }
  return {
    ...config,
    name: dockerVolumeName(adopted, config.name),
    lifecycle: { ...config.lifecycle, ignoreChanges: [...((config.lifecycle?.ignoreChanges as string[] | undefined) ?? []), "labels"] },
  };
}

/** Adds the import block of an adopted Docker volume (nothing for bind paths and fresh ones). */
export function importAdoptedVolume(volume: Volume, adopted: AdoptedVolume | undefined): void {
  if (adopted && "volume" in adopted) volume.importFrom(adopted.volume);
}
