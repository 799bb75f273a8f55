import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { graceSeconds, judge, readBackups } from "../../metrics/src/backups";
import { loadConfig } from "../../metrics/src/config";
import { MetricsApp } from "../../metrics/src/server";
import { FIXTURES, FixtureHost, http } from "./helpers";

const dir = (name: string) => join(FIXTURES, "backups", name);
// The morning after the fixtures' 03:15 backup.
const morning = Date.parse("2026-12-01T09:00:00Z");

describe("/api/backups judgement", () => {
  test("a host whose backups, drills, retention and check all succeeded on schedule is ok", () => {
    const b = readBackups(dir("healthy"), morning);
    expect(b).toMatchObject({ enabled: true, available: true, host: "fixture-host", status: "ok", problems: [] });
    expect(b.services.map((s) => [s.service, s.backup.status, s.drill.status])).toEqual([
      ["alpha", "ok", "ok"],
      ["beta", "ok", "ok"],
    ]);
    expect(b.services[0].backup.age_seconds).toBe(5 * 3600 + 44 * 60 + 18);
    expect(b.services[0].drill.details).toMatchObject({ postgres: [{ rows: 1500 }] });
    expect(b.repository.retention?.status).toBe("ok");
  });

  test("the same files two days later are stale: a backup older than its schedule is loud", () => {
    const b = readBackups(dir("healthy"), morning + 2 * 86400_000);
    expect(b.status).toBe("stale");
    expect(b.problems).toContain("alpha backup: last success 54 h ago, older than its schedule");
    // The weekly drill is still within its interval.
    expect(b.services[0].drill.status).toBe("ok");
  });

  test("a failed backup, a stale drill, a drill that never ran and a garbled file are all reported, worst first", () => {
    const b = readBackups(dir("broken"), morning);
    expect(b.status).toBe("failed");
    expect(b.services.find((s) => s.service === "beta")!.backup).toMatchObject({
      status: "failed",
      ok: false,
      last_success_at: "2026-11-28T03:15:50.000Z",
      error: expect.stringMatching(/Access denied/),
    });
    expect(b.problems).toEqual([
      "beta backup: failed (mariadb-dump: Got error: 1045: Access denied for user 'beta'@'localhost')",
      expect.stringMatching(/^repository check: failed \(unreadable status file .*check\/repository\.json/),
      "beta drill: never ran",
      "alpha drill: last success 556 h ago, older than its schedule",
    ]);
    expect(b.repository.retention).toBeNull();
  });

  test("no schedule: the job never started on this host", () => {
    const empty = mkdtempSync(join(tmpdir(), "ksbk-metrics-"));
    try {
      const b = readBackups(empty, morning);
      expect(b).toMatchObject({ available: false, status: "never", services: [] });
      expect(b.problems[0]).toMatch(/has not started/);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  test("grace is a quarter of the interval, at least an hour", () => {
    expect(graceSeconds(86400)).toBe(21600);
    expect(graceSeconds(3600)).toBe(3600);
    const raw = { ok: true, lastSuccessAt: "2026-12-01T00:00:00Z" };
    expect(judge(raw, 3600, Date.parse("2026-12-01T01:59:00Z")).status).toBe("ok");
    expect(judge(raw, 3600, Date.parse("2026-12-01T02:01:00Z")).status).toBe("stale");
  });
});

describe("GET /api/backups", () => {
  let host: FixtureHost;
  const apps: MetricsApp[] = [];
  beforeAll(() => {
    host = new FixtureHost();
  });
  afterAll(async () => {
    await Promise.all(apps.map((a) => a.close()));
    host.remove();
  });
  const start = async (env: Record<string, string>) => {
    const app = new MetricsApp(loadConfig(host.env({ SAMPLE_INTERVAL_MS: "60000", ...env })), { now: () => morning });
    apps.push(app);
    return (await app.listen()).port;
  };

  test("serves the judged status of BACKUP_STATUS_DIR", async () => {
    const port = await start({ BACKUP_STATUS_DIR: dir("broken") });
    const r = await http(port, "/api/backups");
    expect(r.status).toBe(200);
    expect(r.json).toEqual(readBackups(dir("broken"), morning));
    expect((await http(port, "/api/openapi.json")).json.paths["/api/backups"]).toBeDefined();
  });

  test("says disabled when BACKUP_STATUS_DIR is unset, and rejects a relative path at start", async () => {
    const port = await start({});
    expect((await http(port, "/api/backups")).json).toEqual({ enabled: false, available: false, reason: "BACKUP_STATUS_DIR is not set" });
    expect(() => loadConfig(host.env({ BACKUP_STATUS_DIR: "status" }))).toThrow(/BACKUP_STATUS_DIR: "status" is not an absolute path/);
  });
});
