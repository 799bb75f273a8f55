/**
 * The pre-cut-over backup of `npm run adopt` (step 1): the adoption file's `container` fields
 * (validated, written by discovery when the old container has another name than the stack's),
 * which services it backs up and which it skips, and the docker exec it runs (service names and
 * KITE_CONTAINER_ALIASES). That backup.sh really dumps from an aliased container is in
 * __tests__/backup (against a real MariaDB), the whole step in e2e/adoption.e2e.test.ts.
 */
import { backupPlan, mariadbContainerName } from "../../backup/plan";
import { BACKUP_PATHS } from "../../constructs/backup-job";
import { Adoption, AdoptionError, AdoptedVolume, oldContainerNames, POSTGRES_DATA_PATH, stackContainerOf, validateAdoption, volumeMountPaths } from "../../homelab/adoption";
import { findHost, servicesOn } from "../../homelab/derive";
import { kitestacks as spec } from "../../homelab/homelab";
import { ServiceSpec } from "../../homelab/types";
import { discoverHost, DockerOnHost } from "../../scripts/adopt-discover";
import { preCutOverBackup, preCutOverBackupArgv } from "../../scripts/adopt";
import { BACKUP_CONTAINER } from "../../scripts/restore";
import { fullAdoption } from "./fixtures";

const pg = spec.sharedPostgres!;
const home = pg.host;
/** A service of the home host with a per-host MariaDB (BookStack in the owner's description). */
const withMariadb = servicesOn(spec, home).find((s) => (s.databases ?? []).some((d) => d.engine === "mariadb"))!;
const mariadbKey = `mariadb-${withMariadb.databases!.find((d) => d.engine === "mariadb")!.name}`;
/** A service of the home host with its databases on the shared Postgres and no MariaDB. */
const onPostgres = servicesOn(spec, home).find((s) => (s.databases ?? []).some((d) => d.engine === "shared-postgres") && !(s.databases ?? []).some((d) => d.engine === "mariadb"))!;

const problemsOf = (raw: unknown): AdoptionError => {
  try {
    validateAdoption(raw, spec);
  } catch (e) {
    return e as AdoptionError;
  }
  throw new Error("validateAdoption accepted it");
};
const clone = (a: Adoption): any => JSON.parse(JSON.stringify(a));

describe("the container field of an adopted volume", () => {
  test("a valid old container name is accepted on a volume, a bind folder and the shared Postgres", () => {
    const a = clone(fullAdoption(spec));
    a.hosts[home].services[withMariadb.name][mariadbKey] = { volume: "bookstack_db", container: "bookstack_db" };
    a.hosts[home].sharedPostgres = { bindPath: "/srv/authentik/database", container: "authentik_postgresql_1", superuser: "authentik" };
    expect(() => validateAdoption(a, spec)).not.toThrow();
  });

  test("a bad name, a name on a fresh volume, and two old containers for one stack container are each reported", () => {
    const a = clone(fullAdoption(spec));
    const vols = a.hosts[home].services[withMariadb.name];
    vols[mariadbKey] = { volume: "bookstack_db", container: "bookstack db!" };
    a.hosts[home].sharedPostgres = { fresh: "new cluster", container: "old-pg" };
    // Two volumes of the same main container, said to be in two different old containers.
    const twoVolumes = servicesOn(spec, home).find((s) => [...volumeMountPaths(s)].filter(([, w]) => w.container === "main").length >= 2)!;
    const [k1, k2] = [...volumeMountPaths(twoVolumes)].filter(([, w]) => w.container === "main").map(([k]) => k);
    a.hosts[home].services[twoVolumes.name][k1] = { volume: "one", container: "old-a" };
    a.hosts[home].services[twoVolumes.name][k2] = { volume: "two", container: "old-b" };
    const e = problemsOf(a);
    expect(e.problems.map((p) => p.field)).toEqual(
      expect.arrayContaining([`hosts[${home}].services[${withMariadb.name}].${mariadbKey}.container`, `hosts[${home}].sharedPostgres.container`, `hosts[${home}].services[${twoVolumes.name}].${k2}.container`]),
    );
    expect(e.message).toMatch(new RegExp(`${mariadbKey}\\.container: "bookstack db!" is not a Docker container name\\. Fix: copy the old container's name`));
    expect(e.message).toMatch(/sharedPostgres\.container: "old-pg" is given for a volume that is created empty\. Fix: remove it/);
    expect(e.message).toMatch(new RegExp(`${k2}\\.container: "old-b" differs from ${k1}'s "old-a", and both are volumes of the stack's container ${twoVolumes.name}`));
  });

  test("oldContainerNames maps the stack's names to the old ones, only where they differ", () => {
    const a = clone(fullAdoption(spec));
    a.hosts[home].services[withMariadb.name][mariadbKey] = { volume: "bookstack_db", container: "bookstack_db" };
    a.hosts[home].services[onPostgres.name] = Object.fromEntries(Object.keys(a.hosts[home].services[onPostgres.name]).map((k) => [k, { volume: `v-${k}`, container: stackContainerOf(onPostgres, k) }]));
    a.hosts[home].sharedPostgres = { volume: "authentik_database", container: "authentik_postgresql_1" };
    expect(oldContainerNames(spec, validateAdoption(a, spec), home)).toEqual(new Map([[mariadbContainerName(withMariadb.name), "bookstack_db"], [pg.containerName, "authentik_postgresql_1"]]));
  });
});

describe("preCutOverBackup: what step 1 backs up", () => {
  /** The e2e's old homelab on the home host: the first MariaDB service and the shared Postgres taken over, every other volume fresh. */
  const adoption = (): Adoption => {
    const a = clone(fullAdoption(spec, (_h, svc, key) => ({ fresh: `${svc}.${key} never ran here` })));
    a.hosts[home].services[withMariadb.name] = Object.fromEntries(Object.keys(a.hosts[home].services[withMariadb.name]).map((k) => [k, k === mariadbKey ? { volume: "bookstack_db", container: "bookstack_db" } : { bindPath: `/home/deploy/bookstack/${k}` }]));
    a.hosts[home].sharedPostgres = { volume: "authentik_database", superuser: "authentik" };
    return validateAdoption(a, spec);
  };

  test("the services with an adopted volume or folder, or databases on the adopted shared Postgres; the rest skipped, with why", () => {
    const b = preCutOverBackup(spec, adoption(), home);
    const onAdoptedPg = backupPlan(spec, home).filter((x) => x.postgresDatabases.length > 0).map((x) => x.service);
    expect(onAdoptedPg).toContain(onPostgres.name);
    const expected = backupPlan(spec, home).map((x) => x.service).filter((s) => s === withMariadb.name || onAdoptedPg.includes(s));
    expect(b.services).toEqual(expected);
    expect(b.services.length).toBeLessThan(backupPlan(spec, home).length);
    expect(b.report).toEqual(expect.arrayContaining([expect.stringMatching(new RegExp(`^backing up ${withMariadb.name}: .*adopted ${mariadbKey}`)), expect.stringMatching(new RegExp(`^backing up ${onPostgres.name}: database .* on the adopted shared Postgres`))]));
    for (const skipped of backupPlan(spec, home).filter((x) => !expected.includes(x.service))) {
      expect(b.report).toContain(`skipping ${skipped.service}: nothing of it is taken over on ${home} (its volumes are fresh)`);
    }
  });

  test("a fresh shared Postgres takes its databases' services out; a host with nothing adopted backs up nothing", () => {
    const a = clone(adoption());
    a.hosts[home].sharedPostgres = { fresh: "new cluster" };
    expect(preCutOverBackup(spec, validateAdoption(a, spec), home).services).toEqual([withMariadb.name]);
    const other = spec.hosts.find((h) => h.name !== home)!.name;
    expect(preCutOverBackup(spec, adoption(), other).services).toEqual([]);
  });

  test("the docker exec: the aliases as one environment variable (names only), then backup.sh with the services", () => {
    const b = preCutOverBackup(spec, adoption(), home);
    expect(preCutOverBackupArgv(b)).toEqual(["docker", "exec", "-e", `KITE_CONTAINER_ALIASES=${mariadbContainerName(withMariadb.name)}=bookstack_db`, BACKUP_CONTAINER, `${BACKUP_PATHS.scripts}/backup.sh`, ...b.services]);
    expect(preCutOverBackupArgv({ ...b, aliases: new Map() })).toEqual(["docker", "exec", BACKUP_CONTAINER, `${BACKUP_PATHS.scripts}/backup.sh`, ...b.services]);
  });
});

describe("adopt:discover writes the old container's name", () => {
  /** `docker inspect` of a compose v1 container. */
  const container = (id: string, name: string, project: string, service: string, mounts: { Type: string; Name?: string; Source: string; Destination: string }[], env: string[] = []) => ({
    Id: id,
    Name: `/${name}`,
    Config: { Image: "x", Env: env, Labels: { "com.docker.compose.project": project, "com.docker.compose.service": service, "com.docker.compose.project.working_dir": `/home/deploy/${project}`, "com.docker.compose.project.config_files": "docker-compose.yml" } },
    Mounts: mounts,
  });
  const mainMounts = (svc: ServiceSpec) => [...volumeMountPaths(svc)].filter(([, w]) => w.container === "main").map(([k, w]) => ({ Type: "volume", Name: `${svc.name}_${k}`, Source: `/var/lib/docker/volumes/${svc.name}_${k}/_data`, Destination: w.mountPath }));
  const inspected = [
    container("a1", withMariadb.name, withMariadb.name, withMariadb.name, mainMounts(withMariadb)),
    container("a2", "bookstack_db", withMariadb.name, "db", [{ Type: "volume", Name: "bookstack_db", Source: "/var/lib/docker/volumes/bookstack_db/_data", Destination: "/var/lib/mysql" }]),
    // Compose v1's own name for a service without container_name: <project>_<service>_1.
    container("a3", `authentik_${pg.containerName}_1`, "authentik", pg.containerName, [{ Type: "volume", Name: "authentik_database", Source: "/x", Destination: POSTGRES_DATA_PATH }], ["POSTGRES_USER=authentik"]),
  ];
  const docker: DockerOnHost = (_host, args) => {
    if (args[0] === "ps") return { status: 0, stdout: inspected.map((c) => c.Id).join("\n"), stderr: "" };
    if (args[0] === "inspect") return { status: 0, stdout: JSON.stringify(inspected.filter((c) => args.includes(c.Id))), stderr: "" };
    if (args[0] === "network") return { status: 1, stdout: "", stderr: "no such network" };
    return { status: 0, stdout: "", stderr: "" };
  };

  test("container only where the matched container is named otherwise than the stack's", () => {
    const matched: string[] = [];
    const entry = discoverHost(spec, findHost(spec, home), docker, matched, []);
    const vols = entry!.services![withMariadb.name];
    expect(vols[mariadbKey]).toEqual({ volume: "bookstack_db", container: "bookstack_db" });
    for (const [k] of [...volumeMountPaths(withMariadb)].filter(([, w]) => w.container === "main")) expect(vols[k]).toEqual({ volume: `${withMariadb.name}_${k}` } satisfies AdoptedVolume);
    expect(entry!.sharedPostgres).toEqual({ volume: "authentik_database", container: `authentik_${pg.containerName}_1`, superuser: "authentik" });
    // What it wrote passes validation and gives the aliases step 1 uses.
    const a = validateAdoption({ version: 1, hosts: { [home]: entry } }, spec);
    expect(oldContainerNames(spec, a, home)).toEqual(new Map([[mariadbContainerName(withMariadb.name), "bookstack_db"], [pg.containerName, `authentik_${pg.containerName}_1`]]));
  });
});
