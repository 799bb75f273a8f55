import { loadConfig } from "../../metrics/src/config";
import { MetricsApp } from "../../metrics/src/server";
import { FakeUpstream, FixtureHost, http, openMeteoBody, useRig } from "./helpers";

// Generous: a loaded CI machine must not turn the fake's 100 ms answer into a timeout. Only the
// slow-upstream test waits for it, against a fake three times slower.
const TIMEOUT_MS = 3000;

describe("GET /api/weather against a fake Open-Meteo", () => {
  const rig = useRig(
    (base) => ({ WEATHER_LATITUDE: "52.52", WEATHER_LONGITUDE: "13.41", WEATHER_API_BASE: base, UPSTREAM_TIMEOUT_MS: String(TIMEOUT_MS) }),
    (f) => f.json(openMeteoBody(), 200, 100),
  );

  const refreshAfter = async (ms: number): Promise<void> => {
    rig.clock.advance(ms);
    await http(rig.port, "/api/weather"); // kicks the background refresh
    await rig.app.weather!.idle();
  };

  test("first fill: current conditions and a 3-day forecast", async () => {
    const r = await http(rig.port, "/api/weather");
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ enabled: true, available: true, stale: false, age_seconds: 0, fetched_at: "2026-11-26T12:00:00.000Z" });
    expect(r.json.error).toBeUndefined();
    expect(r.json.data.current).toEqual({
      time: "2026-11-26T13:00",
      temperature_c: 7.4,
      apparent_temperature_c: 4.1,
      humidity_percent: 81,
      wind_speed_kmh: 14.8,
      wind_direction_deg: 242,
      weather_code: 3,
      description: "Overcast",
      is_day: true,
    });
    expect(r.json.data.daily).toHaveLength(3);
    expect(r.json.data.daily[1]).toEqual({
      date: "2026-11-27",
      weather_code: 61,
      description: "Slight rain",
      temperature_max_c: 6.5,
      temperature_min_c: 1.9,
      precipitation_mm: 4.6,
      precipitation_probability_percent: 85,
    });
    expect(r.json.data.timezone).toBe("Europe/Berlin");
    // the warm-up call at start and the first request shared one upstream call
    expect(rig.fake.requests).toHaveLength(1);
    const url = new URL(rig.fake.requests[0], "http://x");
    expect(url.pathname).toBe("/v1/forecast");
    expect(url.searchParams.get("latitude")).toBe("52.52");
    expect(url.searchParams.get("longitude")).toBe("13.41");
    expect(url.searchParams.get("forecast_days")).toBe("3");
    expect(url.searchParams.get("current")).toContain("temperature_2m");
  });

  test("served from cache within WEATHER_CACHE_SECONDS", async () => {
    rig.clock.advance(300_000);
    const r = await http(rig.port, "/api/weather");
    expect(r.json).toMatchObject({ stale: false, age_seconds: 300 });
    expect(rig.fake.requests).toHaveLength(1);
  });

  test("slow upstream: the request does not wait, then the timeout marks the value stale", async () => {
    rig.fake.json(openMeteoBody(99), 200, 3 * TIMEOUT_MS);
    rig.clock.advance(301_000); // 601 s old: expired
    // answered from the old value without waiting (had it waited, the timeout would show as stale)
    const during = await http(rig.port, "/api/weather");
    expect(during.json).toMatchObject({ available: true, stale: false, age_seconds: 601 });
    expect(during.json.data.current.temperature_c).toBe(7.4);
    await rig.app.weather!.idle();
    const after = await http(rig.port, "/api/weather");
    expect(after.status).toBe(200);
    expect(after.json).toMatchObject({ available: true, stale: true, age_seconds: 601, error: `open-meteo: timed out after ${TIMEOUT_MS} ms` });
    expect(after.json.data.current.temperature_c).toBe(7.4);
    expect(rig.fake.requests).toHaveLength(2);
  });

  test("after a failure the upstream is not retried at once", async () => {
    rig.clock.advance(5_000);
    await http(rig.port, "/api/weather");
    await http(rig.port, "/api/weather");
    expect(rig.fake.requests).toHaveLength(2);
  });

  test("HTTP 500 upstream: stale value with the error", async () => {
    rig.fake.json({ error: true, reason: "internal" }, 500);
    await refreshAfter(31_000);
    const r = await http(rig.port, "/api/weather");
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ available: true, stale: true, error: "open-meteo: upstream answered HTTP 500", age_seconds: 637 });
    expect(rig.fake.requests).toHaveLength(3);
  });

  test("malformed JSON and a malformed shape: stale value with the error", async () => {
    rig.fake.json("{not json", 200);
    await refreshAfter(31_000);
    expect((await http(rig.port, "/api/weather")).json).toMatchObject({ stale: true, error: "open-meteo: upstream sent malformed JSON" });
    rig.fake.json({ latitude: 1, longitude: 2, current: { time: "x" } }, 200);
    await refreshAfter(31_000);
    expect((await http(rig.port, "/api/weather")).json).toMatchObject({ stale: true, error: "open-meteo: malformed response: missing current or daily" });
    const bad = openMeteoBody() as { daily: { temperature_2m_max: unknown[] } };
    bad.daily.temperature_2m_max = [1, "hot", 3];
    rig.fake.json(bad, 200);
    await refreshAfter(31_000);
    expect((await http(rig.port, "/api/weather")).json).toMatchObject({ stale: true, error: "open-meteo: malformed response: daily.temperature_2m_max[1] is not a number" });
  });

  test("recovery: fresh value, stale cleared", async () => {
    rig.fake.json(openMeteoBody(9.9), 200);
    await refreshAfter(31_000);
    const r = await http(rig.port, "/api/weather");
    expect(r.json).toMatchObject({ available: true, stale: false, age_seconds: 0 });
    expect(r.json.error).toBeUndefined();
    expect(r.json.data.current.temperature_c).toBe(9.9);
  });

  test("concurrent requests after expiry share one upstream call", async () => {
    const release = rig.fake.hold(openMeteoBody(3.3));
    rig.clock.advance(600_000);
    const before = rig.fake.requests.length;
    const replies = await Promise.all(Array.from({ length: 25 }, () => http(rig.port, "/api/weather")));
    // all answered at once from the old value while the one refresh is still held upstream
    expect(replies.every((r) => r.status === 200 && r.json.data.current.temperature_c === 9.9)).toBe(true);
    expect(rig.fake.requests.length - before).toBe(1);
    release();
    await rig.app.weather!.idle();
    expect(rig.fake.requests.length - before).toBe(1);
    expect((await http(rig.port, "/api/weather")).json.data.current.temperature_c).toBe(3.3);
  });
});

describe("upstream with no good value yet", () => {
  test("concurrent first requests share one call; failure answers 200 available:false", async () => {
    const host = new FixtureHost();
    const fake = new FakeUpstream();
    const base = await fake.start();
    fake.json({ message: "boom" }, 503, 150);
    const env = host.env({ WEATHER_LATITUDE: "1", WEATHER_LONGITUDE: "2", WEATHER_API_BASE: base, UPSTREAM_TIMEOUT_MS: "2000" });
    const app = new MetricsApp(loadConfig(env));
    const { port } = await app.listen();
    try {
      const replies = await Promise.all(Array.from({ length: 20 }, () => http(port, "/api/weather")));
      for (const r of replies) {
        expect(r.status).toBe(200);
        expect(r.json).toEqual({ enabled: true, available: false, stale: true, error: "open-meteo: upstream answered HTTP 503" });
      }
      expect(fake.requests).toHaveLength(1);
    } finally {
      await app.close();
      await fake.stop();
      host.remove();
    }
  });

  test("unreachable upstream answers 200 available:false", async () => {
    const host = new FixtureHost();
    const fake = new FakeUpstream();
    const base = await fake.start();
    await fake.stop(); // nothing listens on that port any more
    const env = host.env({ FORGEJO_API_BASE: `${base}/api/v1`, FORGEJO_USER: "kenpat" });
    const app = new MetricsApp(loadConfig(env));
    const { port } = await app.listen();
    try {
      const r = await http(port, "/api/activity");
      expect(r.status).toBe(200);
      expect(r.json).toMatchObject({ enabled: true, available: false, stale: true });
      expect(r.json.error).toMatch(/^forgejo: /);
    } finally {
      await app.close();
      host.remove();
    }
  });
});

const pushContent = (commits: { sha: string; msg: string }[], len = commits.length): string =>
  JSON.stringify({
    Commits: commits.map((c) => ({
      Sha1: c.sha,
      Message: c.msg,
      AuthorEmail: "ken@example.org",
      AuthorName: "Ken Pat",
      CommitterEmail: "ken@example.org",
      CommitterName: "Ken Pat",
      Timestamp: "2026-11-25T21:14:03+01:00",
    })),
    HeadCommit: null,
    CompareURL: "kenpat/kitestacks-homelab/compare/a...b",
    Len: len,
  });

const repo = { id: 7, full_name: "kenpat/kitestacks-homelab", html_url: "http://forgejo:3000/kenpat/kitestacks-homelab" };
const actUser = { id: 1, login: "kenpat", full_name: "Ken Pat" };
const FEED = [
  { id: 101, op_type: "create_issue", act_user: actUser, repo, ref_name: "", content: "3|Fix DNS", created: "2026-11-25T22:00:00+01:00" },
  {
    id: 100,
    op_type: "commit_repo",
    act_user: actUser,
    repo,
    ref_name: "refs/heads/main",
    content: pushContent([{ sha: "b".repeat(40), msg: "metrics: add weather\n\nlong body" }, { sha: "a".repeat(40), msg: "spec: hosts" }], 5),
    created: "2026-11-25T21:14:05+01:00",
    is_private: false,
  },
  { id: 102, op_type: "push_tag", act_user: actUser, repo, ref_name: "refs/tags/v1.2.0", content: "", created: "2026-11-25T23:30:00+01:00" },
  { id: 99, op_type: "commit_repo", act_user: actUser, repo, ref_name: "refs/heads/dev", content: pushContent([{ sha: "c".repeat(40), msg: "wip" }]), created: "2026-11-24T08:00:00Z" },
];

describe("GET /api/activity against a fake Forgejo", () => {
  const rig = useRig(
    (base) => ({
      FORGEJO_API_BASE: `${base}/api/v1`,
      FORGEJO_USER: "kenpat",
      FORGEJO_TOKEN: "s3cret",
      ACTIVITY_LIMIT: "10",
      UPSTREAM_TIMEOUT_MS: String(TIMEOUT_MS),
    }),
    (f) => f.json(FEED),
  );

  test("push activities, newest first, with commits", async () => {
    const r = await http(rig.port, "/api/activity");
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ enabled: true, available: true, stale: false, age_seconds: 0 });
    expect(r.json.data.source).toBe("forgejo");
    expect(r.json.data.items.map((i: { id: number }) => i.id)).toEqual([102, 100, 99]);
    expect(r.json.data.items[1]).toEqual({
      id: 100,
      type: "commit_repo",
      created: "2026-11-25T21:14:05+01:00",
      actor: "kenpat",
      repo: "kenpat/kitestacks-homelab",
      repo_url: "http://forgejo:3000/kenpat/kitestacks-homelab",
      ref: "main",
      commit_count: 5,
      commits: [
        { sha: "b".repeat(40), message: "metrics: add weather", author: "Ken Pat", timestamp: "2026-11-25T21:14:03+01:00" },
        { sha: "a".repeat(40), message: "spec: hosts", author: "Ken Pat", timestamp: "2026-11-25T21:14:03+01:00" },
      ],
    });
    expect(r.json.data.items[0]).toMatchObject({ type: "push_tag", ref: "v1.2.0", commit_count: 0, commits: [] });
    expect(rig.fake.requests).toEqual(["/api/v1/users/kenpat/activities/feeds?limit=30"]);
    expect(rig.fake.headers[0].authorization).toBe("token s3cret");
  });

  test("?limit= trims the list", async () => {
    const r = await http(rig.port, "/api/activity?limit=2");
    expect(r.json.data.items.map((i: { id: number }) => i.id)).toEqual([102, 100]);
  });

  test("a feed that is not an array is malformed: stale value with the error", async () => {
    rig.fake.json({ message: "not found" });
    rig.clock.advance(121_000);
    await http(rig.port, "/api/activity");
    await rig.app.activity!.idle();
    const r = await http(rig.port, "/api/activity");
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ available: true, stale: true, age_seconds: 121, error: "forgejo: malformed response: expected a JSON array of activities" });
    expect(r.json.data.items).toHaveLength(3);
  });
});
