import { FindingDraft, Policy, PolicyContext } from "./context";

/**
 * Volumes hold the homelab's data (app files, MariaDB and Postgres data directories). A volume
 * without prevent_destroy is deleted by `terraform destroy`, by a rename, or by any change that
 * replaces it (its name, driver or labels), and the data with it.
 */
export const volumePreventDestroy: Policy = {
  id: "volume-prevent-destroy",
  description: "Every Docker volume has lifecycle.prevent_destroy, so no plan deletes user data",
  check(ctx: PolicyContext): FindingDraft[] {
    return ctx
      .resources("docker_volume")
      .filter((r) => r.body.lifecycle?.prevent_destroy !== true)
      .map((resource) => ({
        resource,
        value: resource.body.lifecycle?.prevent_destroy,
        problem: `volume ${JSON.stringify(resource.body.name)} can be destroyed by a plan (terraform destroy, a rename, a replacing change), and its data with it`,
        fix: "create it with lifecycle: { preventDestroy: true } (HostedService and SharedPostgres do); to delete data on purpose see docs/backups.md, \"Destroying on purpose\"",
      }));
  },
};
