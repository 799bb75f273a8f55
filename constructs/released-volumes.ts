import { TerraformStack } from "cdktf";
import { Construct } from "constructs";

export interface ReleasedVolumesProps {
  /**
   * Terraform addresses (`docker_volume.<logical id>`) of volumes this stack no longer
   * declares because their service moved to another home.
   */
  readonly addresses: readonly string[];
}

/**
 * Keeps Docker volumes on a host when their service moves away: without this, Terraform would
 * destroy a volume the moment its resource leaves the configuration (the Docker provider deletes
 * the volume and its data). A `removed` block with `destroy = false` (Terraform 1.7+) makes the
 * plan forget the resource and leave the volume on the host, for the adopt/backup helpers to
 * move. A block for an address that was never in state is a no-op, so fresh hosts plan cleanly.
 */
export class ReleasedVolumes extends Construct {
  public readonly addresses: readonly string[];

  constructor(scope: Construct, id: string, props: ReleasedVolumesProps) {
    super(scope, id);
    this.addresses = [...props.addresses].sort();
    if (this.addresses.length > 0) {
      TerraformStack.of(this).addOverride(
        "removed",
        this.addresses.map((from) => ({ from, lifecycle: { destroy: false } })),
      );
    }
  }
}
