import { Construct } from "constructs";
import { resolve } from "node:path";
import { ImageSpec } from "../homelab/types";
import { BuiltImage } from "./built-image";
import { IContainerImage } from "./container-image";
import { PinnedImage } from "./pinned-image";

export interface ImageCatalogProps {
  /** Where build folders are resolved from. @default process.cwd() */
  readonly repoRoot?: string;
  /**
   * Build arguments per build folder (the spec's `image.build`), e.g. a base image for tests.
   * @default none: every Dockerfile builds with its pinned defaults
   */
  readonly buildArgs?: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

/**
 * The images of one host, one docker_image per reference however many containers use it
 * (Authentik's server and worker share one). Ids come from the repository without its tag,
 * so bumping a tag updates the image in place of destroying one and creating another.
 */
export class ImageCatalog extends Construct {
  private readonly images = new Map<string, IContainerImage>();
  private readonly repoRoot: string;
  private readonly buildArgs: Readonly<Record<string, Readonly<Record<string, string>>>>;

  constructor(scope: Construct, id: string, props: ImageCatalogProps = {}) {
    super(scope, id);
    this.repoRoot = props.repoRoot ?? process.cwd();
    this.buildArgs = props.buildArgs ?? {};
  }

  /** The image for a spec entry, created on first use. */
  imageFor(spec: ImageSpec): IContainerImage {
    const key = "ref" in spec ? `ref:${spec.ref}` : `build:${spec.build}`;
    let image = this.images.get(key);
    if (!image) {
      image =
        "ref" in spec
          ? new PinnedImage(this, idFor(spec.ref.replace(/[:@][^/]*$/, "")), { ref: spec.ref })
          : new BuiltImage(this, `build-${idFor(spec.build)}`, {
              context: resolve(this.repoRoot, spec.build),
              repository: `kitestacks/${idFor(spec.build)}`,
              buildArgs: this.buildArgs[spec.build],
            });
      this.images.set(key, image);
    }
    return image;
  }
}

function idFor(text: string): string {
  return text.replace(/[^a-zA-Z0-9]+/g, "-").replace(/^-|-$/g, "").toLowerCase();
}
