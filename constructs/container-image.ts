/** What a container needs from an image: the id Terraform resolves after pull or build. */
export interface IContainerImage {
  /** The image id (sha256:...) to run. */
  readonly imageId: string;
  /** The reference it was pulled or tagged as, for labels and docs. */
  readonly ref: string;
}
