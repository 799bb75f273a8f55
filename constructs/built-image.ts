import { Image } from "@cdktf/provider-docker/lib/image";
import { App, TerraformStack } from "cdktf";
import { Manifest } from "cdktf/lib/manifest";
import { Construct } from "constructs";
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { IContainerImage } from "./container-image";

export interface BuiltImageProps {
  /**
   * Folder holding the Dockerfile. It is written relative to the stack's working directory
   * (`cdktf.out/stacks/<stack>`, where cdktf and the deploy script run terraform): `build.context`
   * forces a new image when it changes, so an absolute path would rebuild every image, and replace
   * its containers, whenever the plan runs from another checkout (a CI runner, a laptop).
   */
  readonly context: string;
  /** Repository part of the local tag, e.g. kitestacks/portal. */
  readonly repository: string;
  /**
   * Build arguments (`docker build --build-arg`). Production passes none, so each Dockerfile's
   * pinned defaults apply; the end-to-end test uses them to select base images it made.
   * A change rebuilds the image.
   * @default none
   */
  readonly buildArgs?: Readonly<Record<string, string>>;
}

/** Folders never part of a build context's identity. */
const IGNORED = new Set(["node_modules", "dist", ".git", ".swc"]);

/** Content hashes per absolute folder: every host builds the same folders, hash them once. */
const hashCache = new Map<string, string>();

/** sha256 over the relative path and bytes of every file under `dir`, in sorted order. */
export function folderContentHash(dir: string): string {
  const root = resolve(dir);
  const cached = hashCache.get(root);
  if (cached) return cached;
  const hash = createHash("sha256");
  const walk = (current: string) => {
    const entries = readdirSync(current, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));
    for (const entry of entries) {
      if (IGNORED.has(entry.name)) continue;
      const path = join(current, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile()) hash.update(relative(root, path)).update("\0").update(readFileSync(path)).update("\0");
    }
  };
  walk(root);
  const digest = hash.digest("hex");
  hashCache.set(root, digest);
  return digest;
}

/** Where cdktf (and `npm run deploy`) runs terraform for the stack holding `scope`. */
export function stackWorkingDirectory(scope: Construct): string {
  return resolve(App.of(scope).outdir, Manifest.stacksFolder, TerraformStack.of(scope).node.id);
}

/** The absolute folder of a synthesized `build.context`, read back from the stack's JSON. */
export function buildContextFolder(stack: Construct, context: string): string {
  return resolve(stackWorkingDirectory(stack), context);
}

/**
 * An image the plan builds on the host from a folder of this repo (portal/, metrics/).
 * The tag and the ForceNew trigger are the folder's content hash: any change rebuilds,
 * nothing else does.
 */
export class BuiltImage extends Construct implements IContainerImage {
  public readonly image: Image;
  public readonly ref: string;
  /** sha256 of the build context's files. */
  public readonly contentHash: string;

  constructor(scope: Construct, id: string, props: BuiltImageProps) {
    super(scope, id);
    const context = resolve(props.context);
    this.contentHash = folderContentHash(context);
    // The provider resolves a relative context against terraform's working directory
    // (internal/provider/resource_docker_image_funcs.go, build.GetContextFromLocalDir, v3.6.2).
    this.ref = `${props.repository}:${this.contentHash.slice(0, 12)}`;
    const buildArgs = props.buildArgs && Object.keys(props.buildArgs).length > 0 ? { ...props.buildArgs } : undefined;
    this.image = new Image(this, "image", {
      name: this.ref,
      keepLocally: true,
      // Only present with build arguments, so images without them keep their trigger values.
      triggers: { content_hash: this.contentHash, ...(buildArgs ? { build_args: JSON.stringify(buildArgs) } : {}) },
      buildAttribute: {
        context: relative(stackWorkingDirectory(this), context) || ".",
        tag: [this.ref],
        label: { "org.kitestacks.content-hash": this.contentHash },
        ...(buildArgs ? { buildArgs } : {}),
      },
    });
  }

  get imageId(): string {
    return this.image.imageId;
  }
}
