import { imagePinProblem } from "../homelab/validate";
import { FindingDraft, Policy, PolicyContext, ResourceView } from "./context";
import { JOB_HINT, longRunningContainers } from "./long-running";

const IMAGE_REF = /^\$\{docker_image\.([^.}]+)\.[a-z_]+\}$/;
const CONTENT_HASH = /^[0-9a-f]{64}$/;

/**
 * A plan always means the same image: pulled images carry a tag other than latest (or a
 * digest), built images are rebuilt by a content-hash trigger rather than on a whim.
 */
export const containerPinnedImage: Policy = {
  id: "container-pinned-image",
  description: "Every long-running container runs a pinned docker_image (tag or digest), or a built image with a content-hash trigger",
  check(ctx: PolicyContext): FindingDraft[] {
    const drafts: FindingDraft[] = [];
    for (const resource of longRunningContainers(ctx)) {
      const image = String(resource.body.image ?? "");
      const problem = imageProblem(ctx, resource, image);
      if (problem) drafts.push({ resource, value: problem.value, problem: problem.text, fix: problem.fix });
    }
    return drafts;
  },
};

function imageProblem(ctx: PolicyContext, container: ResourceView, image: string): { value: unknown; text: string; fix: string } | undefined {
  const fix = `pin the tag in the homelab description (homelab/services/<name>/ or homelab/settings.ts) (renovate.json keeps it current) or build from a folder (image: { build }); ${JOB_HINT}`;
  if (!image.includes("${")) {
    const pin = imagePinProblem(image);
    return pin ? { value: image, text: `image ${image} ${pin}`, fix } : undefined;
  }
  const id = IMAGE_REF.exec(image)?.[1];
  const source = id ? ctx.resourcesIn(container.stack, "docker_image").find((r) => r.logicalId === id) : undefined;
  if (!source) {
    return { value: image, text: "image is not a docker_image of this stack, so its pin cannot be checked", fix };
  }
  const build = source.body.build;
  if (build) {
    const triggers = Object.values((source.body.triggers ?? {}) as Record<string, unknown>);
    return triggers.some((t) => typeof t === "string" && CONTENT_HASH.test(t))
      ? undefined
      : { value: source.body.triggers, text: `built image ${source.address} has no content-hash trigger, so a changed build folder is not rebuilt`, fix: "use BuiltImage (triggers.content_hash = sha256 of the build folder)" };
  }
  const pin = imagePinProblem(String(source.body.name ?? ""));
  return pin ? { value: source.body.name, text: `image ${source.address} (${source.body.name}) ${pin}`, fix } : undefined;
}
