import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { backupPlan, backupSchedule, planFile } from "../../backup/plan";
import { hostsInDeployOrder, primaryHost } from "../../homelab/derive";
import { goodSpec } from "../fixtures/specs";
import { repoRoot, resourcesOf, synthHomelab } from "../helpers/synth";

const lab = synthHomelab(goodSpec);
const primary = primaryHost(goodSpec).name;
const jobOf = (host: string) => {
  const stack = lab.stacks.hosts.get(host)!;
  const containers = Object.values(resourcesOf(lab.json(stack), "docker_container"));
  return containers.find((c) => c.name === "kitestacks-backup")!;
};
const upload = (job: Record<string, any>, file: string): string | undefined => job.upload.find((u: any) => u.file === file)?.content;

describe("the backup job's scripts", () => {
  const scripts = readdirSync(join(repoRoot, "backup/image")).filter((f) => f.endsWith(".sh"));

  test("are POSIX sh that shellcheck passes (the job image runs busybox ash)", () => {
    expect(scripts.sort()).toEqual(["backup.sh", "drill.sh", "entrypoint.sh", "lib.sh", "restic.sh", "restore.sh"]);
    const check = spawnSync("shellcheck", ["-s", "sh", "-x", ...scripts], { cwd: join(repoRoot, "backup/image"), encoding: "utf8" });
    expect(check.stdout + check.stderr).toBe("");
    expect(check.status).toBe(0);
    for (const s of scripts) expect(spawnSync("sh", ["-n", join(repoRoot, "backup/image", s)]).status).toBe(0);
  });

  test("the Dockerfile copies every script and pins its base images", () => {
    const dockerfile = require("node:fs").readFileSync(join(repoRoot, "backup/image/Dockerfile"), "utf8") as string;
    for (const s of scripts) expect(dockerfile).toContain(s);
    expect(dockerfile).toMatch(/ARG RESTIC_IMAGE=restic\/restic:\d+\.\d+\.\d+\n/);
    expect(dockerfile).toMatch(/ARG DOCKER_CLI_IMAGE=docker:\d+\.\d+\.\d+-cli\n/);
  });
});

describe("BackupJob on every host that holds data", () => {
  test.each(hostsInDeployOrder(goodSpec).map((h) => [h.name]))("%s: plan files from the description, volumes mounted where the plan says", (host) => {
    const job = jobOf(host);
    const plan = backupPlan(goodSpec, host);
    expect(plan.length).toBeGreaterThan(0);
    for (const b of plan) expect(upload(job, `/etc/kitestacks/backup/services/${b.service}.env`)).toBe(planFile(b));
    const mounted = job.volumes.map((v: any) => v.container_path);
    for (const v of plan.flatMap((b) => b.volumes)) expect(mounted).toContain(v.dir);
    expect(mounted).toEqual(expect.arrayContaining(["/status", "/scratch"]));
    expect(job.mounts).toEqual([expect.objectContaining({ source: "/var/run/docker.sock", target: "/var/run/docker.sock" })]);
    expect(JSON.parse(upload(job, "/etc/kitestacks/backup/schedule.json")!)).toEqual(backupSchedule(goodSpec, host, host === primary));
  });

  test("crontab from the spec's schedules, retention only on the primary host, secrets as files and never in env", () => {
    for (const host of goodSpec.hosts.map((h) => h.name)) {
      const job = jobOf(host);
      const crontab = upload(job, "/etc/crontabs/root")!;
      expect(crontab).toContain(`${goodSpec.backup!.schedule} flock /scratch/.lock /opt/kitestacks/backup.sh`);
      expect(crontab).toContain(`${goodSpec.backup!.drillSchedule} flock /scratch/.lock /opt/kitestacks/drill.sh`);
      const config = upload(job, "/etc/kitestacks/backup/config.env")!;
      expect(config).toContain(`KITE_PRUNE='${host === primary ? 1 : 0}'`);
      expect(config).toContain(`KITE_KEEP_DAILY='${goodSpec.backup!.retention!.daily}'`);
      expect(config).toMatch(/RESTIC_REPOSITORY='s3:\$\{var\.backup_s3_endpoint\}\/\$\{var\.backup_s3_bucket\}\/kitestacks'/);
      expect(job.env).toEqual([]);
      for (const secret of ["restic-password", "s3-access-key-id", "s3-secret-access-key"]) {
        const u = job.upload.find((x: any) => x.file === `/run/secrets/kitestacks/${secret}`);
        expect(u.permissions).toBe("0400");
        expect(u.content).toMatch(/^\$\{/);
      }
    }
    expect(upload(jobOf(primary), "/run/secrets/kitestacks/restic-password")).toMatch(/random_password\./);
  });
});
