import { Image } from "@cdktf/provider-docker/lib/image";
import { Construct } from "constructs";
import { IContainerImage } from "./container-image";

export interface PinnedImageProps {
  /** A pinned reference (tag or digest); the spec validation rejects floating tags. */
  readonly ref: string;
}

/** A registry image pulled on the host at a pinned tag. */
export class PinnedImage extends Construct implements IContainerImage {
  public readonly image: Image;
  public readonly ref: string;

  constructor(scope: Construct, id: string, props: PinnedImageProps) {
    super(scope, id);
    this.ref = props.ref;
    // keep_locally: destroying a stack must not delete an image another container still uses.
    this.image = new Image(this, "image", { name: props.ref, keepLocally: true });
  }

  get imageId(): string {
    return this.image.imageId;
  }
}
