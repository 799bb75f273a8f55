/**
 * /api/backups: the backup job's status files (backup/image/lib.sh, kite_status) judged against
 * its schedule. The job writes into a host directory the API sees read-only:
 *   schedule.json               what to expect: { host, services, backup: { intervalSeconds }, drill: { ... }, prunes }
 *   backup/<service>.json       the last backup of each service
 *   drill/<service>.json        the last restore drill of each service
 *   retention/repository.json   forget --prune (the host that prunes)
 *   check/repository.json       restic check after the drill
 * A result that failed, or whose last success is older than its interval (plus a grace of a
 * quarter of it, at least an hour), is as loud as a missing one: the host's status says so.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";

export type BackupState = "ok" | "failed" | "stale" | "never";

export interface JobResult {
  status: BackupState;
  ok: boolean | null;
  finished_at: string | null;
  last_success_at: string | null;
  /** Seconds since the last success (null: never). */
  age_seconds: number | null;
  error: string | null;
  details: Record<string, unknown> | null;
}

export interface ServiceBackups {
  service: string;
  backup: JobResult;
  drill: JobResult;
}

export interface BackupsBody {
  enabled: true;
  available: boolean;
  host: string | null;
  status: BackupState;
  /** Why the status is not ok, one line per problem. */
  problems: string[];
  checked_at: string;
  schedule: { backup_interval_seconds: number; drill_interval_seconds: number } | null;
  services: ServiceBackups[];
  repository: { retention: JobResult | null; check: JobResult };
  error?: string;
}

const RANK: Record<BackupState, number> = { ok: 0, stale: 1, never: 2, failed: 3 };

interface Schedule {
  host: string;
  services: string[];
  backup: { intervalSeconds: number };
  drill: { intervalSeconds: number };
  prunes: boolean;
}

function readJson(path: string): any | undefined {
  try {
    return JSON.parse(readFileSync(path, "utf8"));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    // A half-written or garbled file is a failure, not a silent gap.
    return { ok: false, error: `unreadable status file ${path}: ${(e as Error).message}` };
  }
}

export const graceSeconds = (interval: number): number => Math.max(3600, Math.floor(interval / 4));

export function judge(raw: any | undefined, intervalSeconds: number, now: number): JobResult {
  if (!raw) return { status: "never", ok: null, finished_at: null, last_success_at: null, age_seconds: null, error: null, details: null };
  const lastSuccess = typeof raw.lastSuccessAt === "string" ? Date.parse(raw.lastSuccessAt) : NaN;
  const age = Number.isNaN(lastSuccess) ? null : Math.max(0, Math.floor((now - lastSuccess) / 1000));
  const status: BackupState = raw.ok !== true ? "failed" : age === null || age > intervalSeconds + graceSeconds(intervalSeconds) ? "stale" : "ok";
  return {
    status,
    ok: typeof raw.ok === "boolean" ? raw.ok : false,
    finished_at: typeof raw.finishedAt === "string" ? raw.finishedAt : null,
    last_success_at: Number.isNaN(lastSuccess) ? null : new Date(lastSuccess).toISOString(),
    age_seconds: age,
    error: typeof raw.error === "string" && raw.error !== "" ? raw.error : null,
    details: raw.details && typeof raw.details === "object" ? raw.details : null,
  };
}

const describe = (what: string, r: JobResult): string | undefined =>
  r.status === "ok"
    ? undefined
    : r.status === "never"
      ? `${what}: never ran`
      : r.status === "stale"
        ? `${what}: last success ${r.age_seconds === null ? "unknown" : `${Math.round(r.age_seconds / 3600)} h ago`}, older than its schedule`
        : `${what}: failed${r.error ? ` (${r.error})` : ""}`;

export function readBackups(dir: string, now: number = Date.now()): BackupsBody {
  const checkedAt = new Date(now).toISOString();
  const schedule = readJson(join(dir, "schedule.json")) as Schedule | undefined;
  if (!schedule || !Array.isArray(schedule.services)) {
    const never = judge(undefined, 0, now);
    return {
      enabled: true,
      available: false,
      host: null,
      status: "never",
      problems: [`no backup schedule in ${dir}: the backup job has not started on this host`],
      checked_at: checkedAt,
      schedule: null,
      services: [],
      repository: { retention: null, check: never },
      error: `no schedule.json in ${dir}`,
    };
  }
  const b = schedule.backup.intervalSeconds;
  const d = schedule.drill.intervalSeconds;
  const services = schedule.services.map((service) => ({
    service,
    backup: judge(readJson(join(dir, "backup", `${service}.json`)), b, now),
    drill: judge(readJson(join(dir, "drill", `${service}.json`)), d, now),
  }));
  const retention = schedule.prunes ? judge(readJson(join(dir, "retention", "repository.json")), b, now) : null;
  const check = judge(readJson(join(dir, "check", "repository.json")), d, now);
  const all: [string, JobResult][] = [
    ...services.flatMap((s): [string, JobResult][] => [[`${s.service} backup`, s.backup], [`${s.service} drill`, s.drill]]),
    ...(retention ? ([["retention", retention]] as [string, JobResult][]) : []),
    ["repository check", check],
  ];
  const status = all.reduce<BackupState>((worst, [, r]) => (RANK[r.status] > RANK[worst] ? r.status : worst), "ok");
  return {
    enabled: true,
    available: true,
    host: schedule.host,
    status,
    // Worst first (failed, never, stale), in schedule order within each.
    problems: [...all]
      .sort(([, a], [, b]) => RANK[b.status] - RANK[a.status])
      .map(([what, r]) => describe(what, r))
      .filter((p): p is string => p !== undefined),
    checked_at: checkedAt,
    schedule: { backup_interval_seconds: b, drill_interval_seconds: d },
    services,
    repository: { retention, check },
  };
}
