import { ConfigError, isExcluded, loadConfig } from "../../metrics/src/config";
import { FixtureHost } from "./helpers";

describe("loadConfig", () => {
  let host: FixtureHost;
  beforeAll(() => (host = new FixtureHost()));
  afterAll(() => host.remove());

  const problems = (env: Record<string, string>): string[] => {
    try {
      loadConfig(host.env(env));
    } catch (err) {
      if (err instanceof ConfigError) return err.problems;
      throw err;
    }
    return [];
  };

  test("defaults", () => {
    const c = loadConfig({ PROC_ROOT: host.proc });
    expect(c).toMatchObject({
      port: 8000,
      host: "127.0.0.1",
      sysRoot: "/sys",
      diskPath: "/",
      sampleIntervalMs: 1000,
      upstreamTimeoutMs: 3000,
      hostnameOverride: undefined,
      netExclude: ["lo", "veth*", "docker*", "br-*"],
      weather: null,
      activity: null,
    });
  });

  test("weather and activity are enabled by their variables", () => {
    const c = loadConfig(
      host.env({
        WEATHER_LATITUDE: "52.52",
        WEATHER_LONGITUDE: "-13.4",
        FORGEJO_API_BASE: "http://forgejo:3000/api/v1/",
        FORGEJO_USER: "kenpat",
        FORGEJO_TOKEN: "t0k",
        NET_EXCLUDE: "",
      }),
    );
    expect(c.weather).toEqual({ latitude: 52.52, longitude: -13.4, apiBase: "https://api.open-meteo.com", cacheSeconds: 600, forecastDays: 3 });
    expect(c.activity).toEqual({ apiBase: "http://forgejo:3000/api/v1", token: "t0k", user: "kenpat", cacheSeconds: 120, limit: 20 });
    expect(c.netExclude).toEqual([]);
  });

  test.each([
    ["PORT", "70000", 'PORT: "70000" is outside 0-65535'],
    ["PORT", "80a", 'PORT: "80a" is not a whole number'],
    ["HOST", "not a host!", 'HOST: "not a host!" is not an IP address or host name'],
    ["PROC_ROOT", "/nonexistent", 'PROC_ROOT: "/nonexistent" has no stat'],
    ["SYS_ROOT", "/nonexistent-sys", 'SYS_ROOT: "/nonexistent-sys" does not exist'],
    ["DISK_PATH", "/nonexistent-disk", 'DISK_PATH: "/nonexistent-disk" does not exist'],
    ["SAMPLE_INTERVAL_MS", "10", 'SAMPLE_INTERVAL_MS: "10" is outside 100-60000'],
    ["UPSTREAM_TIMEOUT_MS", "fast", 'UPSTREAM_TIMEOUT_MS: "fast" is not a whole number'],
    ["HOSTNAME_OVERRIDE", "bad name", 'HOSTNAME_OVERRIDE: "bad name" is not a host name'],
    ["NET_EXCLUDE", "lo,*eth", 'NET_EXCLUDE: "*eth" is not an interface name or prefix*'],
    ["WEATHER_API_BASE", "ftp://x", 'WEATHER_API_BASE: "ftp://x" is not an http(s) URL'],
    ["WEATHER_CACHE_SECONDS", "0", 'WEATHER_CACHE_SECONDS: "0" is outside 1-86400'],
    ["WEATHER_FORECAST_DAYS", "17", 'WEATHER_FORECAST_DAYS: "17" is outside 1-16'],
    ["FORGEJO_API_BASE", "forgejo:3000", 'FORGEJO_API_BASE: "forgejo:3000" is not an http(s) URL'],
    ["FORGEJO_USER", "a/b", 'FORGEJO_USER: "a/b" is not a Forgejo user name'],
    ["ACTIVITY_CACHE_SECONDS", "-5", 'ACTIVITY_CACHE_SECONDS: "-5" is outside 1-86400'],
    ["ACTIVITY_LIMIT", "51", 'ACTIVITY_LIMIT: "51" is outside 1-50'],
  ])("%s=%s is reported", (name, value, message) => {
    const p = problems({ [name]: value });
    expect(p).toHaveLength(1);
    expect(p[0]).toContain(message);
  });

  test.each([
    [{ WEATHER_LATITUDE: "91", WEATHER_LONGITUDE: "0" }, 'WEATHER_LATITUDE: "91" is outside -90 to 90'],
    [{ WEATHER_LATITUDE: "0", WEATHER_LONGITUDE: "east" }, 'WEATHER_LONGITUDE: "east" is not a decimal number'],
    [{ WEATHER_LATITUDE: "10" }, "WEATHER_LONGITUDE: is unset while WEATHER_LATITUDE is set"],
    [{ WEATHER_LONGITUDE: "10" }, "WEATHER_LATITUDE: is unset while WEATHER_LONGITUDE is set"],
    [{ FORGEJO_API_BASE: "http://forgejo:3000/api/v1" }, "FORGEJO_USER: is unset while FORGEJO_API_BASE is set"],
    [{ FORGEJO_API_BASE: "http://f/api/v1?x=1", FORGEJO_USER: "u" }, "must not contain a query string"],
  ])("%j is reported", (env, message) => {
    const p = problems(env);
    expect(p).toHaveLength(1);
    expect(p[0]).toContain(message);
  });

  test("every bad variable is listed in one message", () => {
    let err: unknown;
    try {
      loadConfig({ PORT: "70000", PROC_ROOT: "/nope", SAMPLE_INTERVAL_MS: "x", WEATHER_LATITUDE: "100", WEATHER_LONGITUDE: "0" });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const msg = (err as Error).message;
    expect(msg).toMatch(/^metrics: invalid configuration \(4 problems\):/);
    for (const name of ["PORT", "PROC_ROOT", "SAMPLE_INTERVAL_MS", "WEATHER_LATITUDE"]) expect(msg).toContain(`  - ${name}: `);
  });

  test("isExcluded matches names and prefixes", () => {
    expect(isExcluded("lo", ["lo", "veth*"])).toBe(true);
    expect(isExcluded("veth9f", ["lo", "veth*"])).toBe(true);
    expect(isExcluded("lo0", ["lo", "veth*"])).toBe(false);
    expect(isExcluded("eth0", [])).toBe(false);
  });
});
