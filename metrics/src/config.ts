/**
 * Configuration of the metrics API. It comes only from environment variables and
 * is validated once at start: every bad variable is reported in one message.
 */
import { statSync } from "node:fs";
import { isIP } from "node:net";
import { join } from "node:path";

export interface WeatherConfig {
  latitude: number;
  longitude: number;
  apiBase: string;
  cacheSeconds: number;
  forecastDays: number;
}

export interface ActivityConfig {
  apiBase: string;
  token: string | undefined;
  user: string;
  cacheSeconds: number;
  limit: number;
}

/** One homed service's tailnet port on its home (HOME_PROBES). */
export interface HomeProbeConfig {
  service: string;
  title: string;
  home: string;
  url: string;
}

export interface Config {
  port: number;
  host: string;
  procRoot: string;
  sysRoot: string;
  diskPath: string;
  sampleIntervalMs: number;
  hostnameOverride: string | undefined;
  /** Interface names (or prefixes ending in "*") that are listed but left out of the totals. */
  netExclude: string[];
  upstreamTimeoutMs: number;
  /** null when WEATHER_LATITUDE/WEATHER_LONGITUDE are unset: /api/weather says "disabled". */
  weather: WeatherConfig | null;
  /** null when FORGEJO_API_BASE is unset: /api/activity says "disabled". */
  activity: ActivityConfig | null;
  /** Homes to probe for /api/homes (empty when HOME_PROBES is unset: every service is replicated). */
  homeProbes: HomeProbeConfig[];
  homesCacheSeconds: number;
  /** The backup job's status directory; null when BACKUP_STATUS_DIR is unset: /api/backups says "disabled". */
  backupStatusDir: string | null;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(
      `metrics: invalid configuration (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n` +
        problems.map((p) => `  - ${p}`).join("\n"),
    );
    this.name = "ConfigError";
  }
}

type Env = Record<string, string | undefined>;

const DEFAULT_NET_EXCLUDE = "lo,veth*,docker*,br-*";

/** Reads and validates the environment; throws ConfigError listing every problem. */
export function loadConfig(env: Env): Config {
  const problems: string[] = [];
  const raw = (name: string): string | undefined => {
    const v = env[name];
    return v === undefined || v.trim() === "" ? undefined : v.trim();
  };

  const int = (name: string, def: number, min: number, max: number, hint = ""): number => {
    const v = raw(name);
    if (v === undefined) return def;
    if (!/^-?\d+$/.test(v)) {
      problems.push(`${name}: "${v}" is not a whole number; use an integer in ${min}-${max}${hint}`);
      return def;
    }
    const n = Number(v);
    if (n < min || n > max) {
      problems.push(`${name}: "${v}" is outside ${min}-${max}${hint}`);
      return def;
    }
    return n;
  };

  const num = (name: string, min: number, max: number): number | undefined => {
    const v = raw(name);
    if (v === undefined) return undefined;
    const n = /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : NaN;
    if (Number.isNaN(n)) {
      problems.push(`${name}: "${v}" is not a decimal number; use a value in ${min} to ${max}`);
      return undefined;
    }
    if (n < min || n > max) {
      problems.push(`${name}: "${v}" is outside ${min} to ${max}`);
      return undefined;
    }
    return n;
  };

  const url = (name: string, def: string | undefined): string | undefined => {
    const v = raw(name) ?? def;
    if (v === undefined) return undefined;
    let parsed: URL | undefined;
    try {
      parsed = new URL(v);
    } catch {
      parsed = undefined;
    }
    if (!parsed || (parsed.protocol !== "http:" && parsed.protocol !== "https:")) {
      problems.push(`${name}: "${v}" is not an http(s) URL; use e.g. http://host:port/path`);
      return undefined;
    }
    if (parsed.search || parsed.hash) {
      problems.push(`${name}: "${v}" must not contain a query string or fragment; give only the base URL`);
      return undefined;
    }
    return v.replace(/\/+$/, "");
  };

  const dir = (name: string, def: string, mustContain: string | undefined): string => {
    const v = raw(name) ?? def;
    try {
      if (!statSync(v).isDirectory()) {
        problems.push(`${name}: "${v}" is not a directory; point it at a mounted directory`);
        return v;
      }
      if (mustContain !== undefined) statSync(join(v, mustContain));
    } catch {
      problems.push(
        mustContain === undefined
          ? `${name}: "${v}" does not exist; point it at an existing path`
          : `${name}: "${v}" has no ${mustContain}; point it at a procfs/sysfs mount (e.g. the host's, mounted read-only)`,
      );
    }
    return v;
  };

  const port = int("PORT", 8000, 0, 65535, " (0 picks a free port)");
  const host = raw("HOST") ?? "127.0.0.1";
  if (isIP(host) === 0 && !/^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$/.test(host)) {
    problems.push(`HOST: "${host}" is not an IP address or host name; use e.g. 127.0.0.1 or 0.0.0.0`);
  }
  const procRoot = dir("PROC_ROOT", "/proc", "stat");
  const sysRoot = dir("SYS_ROOT", "/sys", undefined);
  const diskPath = dir("DISK_PATH", "/", undefined);
  const sampleIntervalMs = int("SAMPLE_INTERVAL_MS", 1000, 100, 60000);
  const upstreamTimeoutMs = int("UPSTREAM_TIMEOUT_MS", 3000, 50, 60000);

  const hostnameOverride = raw("HOSTNAME_OVERRIDE");
  if (hostnameOverride !== undefined && !/^[A-Za-z0-9._-]{1,253}$/.test(hostnameOverride)) {
    problems.push(`HOSTNAME_OVERRIDE: "${hostnameOverride}" is not a host name; use letters, digits, ".", "-", "_"`);
  }

  const netExcludeRaw = raw("NET_EXCLUDE") ?? (env.NET_EXCLUDE === "" ? "" : DEFAULT_NET_EXCLUDE);
  const netExclude = netExcludeRaw
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
  for (const pattern of netExclude) {
    if (!/^[A-Za-z0-9._@:-]+\*?$/.test(pattern)) {
      problems.push(`NET_EXCLUDE: "${pattern}" is not an interface name or prefix*; use e.g. lo,veth*`);
    }
  }

  // Weather: enabled only when both coordinates are set.
  const latitude = num("WEATHER_LATITUDE", -90, 90);
  const longitude = num("WEATHER_LONGITUDE", -180, 180);
  const latSet = raw("WEATHER_LATITUDE") !== undefined;
  const lonSet = raw("WEATHER_LONGITUDE") !== undefined;
  if (latSet !== lonSet) {
    const missing = latSet ? "WEATHER_LONGITUDE" : "WEATHER_LATITUDE";
    problems.push(`${missing}: is unset while ${latSet ? "WEATHER_LATITUDE" : "WEATHER_LONGITUDE"} is set; set both or neither`);
  }
  const weatherApiBase = url("WEATHER_API_BASE", "https://api.open-meteo.com");
  const weatherCacheSeconds = int("WEATHER_CACHE_SECONDS", 600, 1, 86400);
  const forecastDays = int("WEATHER_FORECAST_DAYS", 3, 1, 16);

  // Activity: enabled only when FORGEJO_API_BASE is set.
  const forgejoApiBase = url("FORGEJO_API_BASE", undefined);
  const forgejoUser = raw("FORGEJO_USER");
  if (forgejoApiBase !== undefined && forgejoUser === undefined) {
    problems.push(`FORGEJO_USER: is unset while FORGEJO_API_BASE is set; give the Forgejo user whose feed to show`);
  }
  if (forgejoUser !== undefined && !/^[A-Za-z0-9._-]{1,40}$/.test(forgejoUser)) {
    problems.push(`FORGEJO_USER: "${forgejoUser}" is not a Forgejo user name; use letters, digits, ".", "-", "_"`);
  }
  const activityCacheSeconds = int("ACTIVITY_CACHE_SECONDS", 120, 1, 86400);
  const activityLimit = int("ACTIVITY_LIMIT", 20, 1, 50);

  // Homes: a JSON list of {service, title, home, url} written by the homelab description.
  const homeProbes: HomeProbeConfig[] = [];
  const probesRaw = raw("HOME_PROBES");
  if (probesRaw !== undefined) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(probesRaw);
    } catch {
      parsed = undefined;
    }
    if (!Array.isArray(parsed)) {
      problems.push('HOME_PROBES: is not a JSON list; use [{"service":"forgejo","title":"Forgejo","home":"kscloud1","url":"http://<home tailscale ip>:3006/"}]');
    } else {
      parsed.forEach((p: unknown, i: number) => {
        const o = (typeof p === "object" && p !== null ? p : {}) as Record<string, unknown>;
        const fields = ["service", "title", "home", "url"] as const;
        const bad = fields.filter((f) => typeof o[f] !== "string" || (o[f] as string).trim() === "");
        let urlOk = false;
        try {
          urlOk = typeof o.url === "string" && new URL(o.url).protocol === "http:";
        } catch {
          urlOk = false;
        }
        if (bad.length > 0 || !urlOk) {
          problems.push(`HOME_PROBES[${i}]: needs non-empty ${fields.join(", ")} and an http:// url (got ${JSON.stringify(p)})`);
        } else {
          homeProbes.push({ service: o.service as string, title: o.title as string, home: o.home as string, url: o.url as string });
        }
      });
    }
  }
  const homesCacheSeconds = int("HOMES_CACHE_SECONDS", 15, 1, 3600);
  // Backups: the job's status directory may not exist before its first start; only its form is checked.
  const backupStatusDir = raw("BACKUP_STATUS_DIR") ?? null;
  if (backupStatusDir !== null && !backupStatusDir.startsWith("/")) {
    problems.push(`BACKUP_STATUS_DIR: "${backupStatusDir}" is not an absolute path; use e.g. /host/var/lib/kitestacks/backup/status`);
  }

  if (problems.length > 0) throw new ConfigError(problems);

  return {
    backupStatusDir,
    port,
    host,
    procRoot,
    sysRoot,
    diskPath,
    sampleIntervalMs,
    hostnameOverride,
    netExclude,
    upstreamTimeoutMs,
    weather:
      latitude !== undefined && longitude !== undefined && weatherApiBase !== undefined
        ? { latitude, longitude, apiBase: weatherApiBase, cacheSeconds: weatherCacheSeconds, forecastDays }
        : null,
    activity:
      forgejoApiBase !== undefined && forgejoUser !== undefined
        ? {
            apiBase: forgejoApiBase,
            token: raw("FORGEJO_TOKEN"),
            user: forgejoUser,
            cacheSeconds: activityCacheSeconds,
            limit: activityLimit,
          }
        : null,
    homeProbes,
    homesCacheSeconds,
  };
}

/** True when an interface is left out of the network totals. */
export function isExcluded(name: string, patterns: readonly string[]): boolean {
  for (const p of patterns) {
    if (p.endsWith("*") ? name.startsWith(p.slice(0, -1)) : name === p) return true;
  }
  return false;
}
