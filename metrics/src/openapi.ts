/**
 * The one description of the API: the route table the server dispatches on
 * (paths, methods, query parameters) and the OpenAPI 3 document built from it.
 */

export interface QueryParam {
  name: string;
  description: string;
  minimum: number;
  maximum: number;
}

export interface RouteSpec {
  summary: string;
  description: string;
  query: QueryParam[];
  schema: string;
  /** Statuses other than 200 this route can answer (besides 400/405). */
  extraStatuses?: Record<string, string>;
}

export const ROUTES = {
  "/api/stats": {
    summary: "Host statistics",
    description:
      "CPU (total and per core), load, memory, swap, disk usage of DISK_PATH, network rates per interface and in total, " +
      "uptime and hostname of the host, from the latest background sample. Rates are null until the second sample.",
    query: [],
    schema: "Stats",
    extraStatuses: { "503": "No sample has succeeded yet" },
  },
  "/api/weather": {
    summary: "Current weather and a short forecast",
    description:
      "From Open-Meteo, cached WEATHER_CACHE_SECONDS. Upstream failures never give 5xx: the last good value is served " +
      "with stale: true, or { available: false } when there never was one, or { enabled: false } when not configured.",
    query: [],
    schema: "WeatherEnvelope",
  },
  "/api/activity": {
    summary: "Recent pushes on Forgejo",
    description: "Push activities of FORGEJO_USER, newest first, cached ACTIVITY_CACHE_SECONDS with the same stale rules as /api/weather.",
    query: [{ name: "limit", description: "How many items to return (default ACTIVITY_LIMIT)", minimum: 1, maximum: 50 }],
    schema: "ActivityEnvelope",
  },
  "/api/homes": {
    summary: "Whether each homed service's home host answers from this host",
    description:
      "Each homed service's tailnet port on its home (HOME_PROBES), probed over Tailscale and cached HOMES_CACHE_SECONDS with the same stale rules as /api/weather. Any HTTP answer counts as answering.",
    query: [],
    schema: "HomesEnvelope",
  },
  "/api/backups": {
    summary: "Backups and restore drills of this host",
    description:
      "The backup job's status files (BACKUP_STATUS_DIR) judged against its schedule: per service the last backup and the last " +
      "restore drill (ok, failed, stale when older than its interval plus grace, never), the repository's retention and check, " +
      "and the host's worst status with one line per problem. { enabled: false } when BACKUP_STATUS_DIR is not set.",
    query: [],
    schema: "Backups",
  },
  "/api/health": {
    summary: "Liveness and sampler freshness",
    description: "200 while the sampler has a sample younger than 3 sample intervals (at least 5 s), 503 otherwise.",
    query: [],
    schema: "Health",
    extraStatuses: { "503": "The sampler is not producing fresh samples" },
  },
  "/api/openapi.json": {
    summary: "This OpenAPI document",
    description: "The OpenAPI 3 description of the metrics API.",
    query: [],
    schema: "OpenApi",
  },
} satisfies Record<string, RouteSpec>;

export type RoutePath = keyof typeof ROUTES;

/** Methods every route answers; anything else is 405 with this Allow header. */
export const ALLOWED_METHODS = ["GET", "HEAD"] as const;

const num = { type: "number" };
const int = { type: "integer" };
const str = { type: "string" };
const nullable = (s: object): object => ({ ...s, nullable: true });
const obj = (properties: Record<string, object>): object => ({ type: "object", properties, required: Object.keys(properties) });

const cached = (data: string): object => ({
  type: "object",
  description:
    "enabled: false when not configured; available: false (stale: true, error) when no good value was ever fetched; " +
    "otherwise data with stale (true when the newest refresh failed), age_seconds and fetched_at.",
  properties: {
    enabled: { type: "boolean" },
    available: { type: "boolean" },
    stale: { type: "boolean" },
    age_seconds: int,
    fetched_at: { type: "string", format: "date-time" },
    error: str,
    reason: str,
    data: { $ref: `#/components/schemas/${data}` },
  },
  required: ["enabled"],
});

const SCHEMAS: Record<string, object> = {
  Error: obj({ error: str, message: str, status: int }),
  Stats: obj({
    hostname: str,
    sampled_at: { type: "string", format: "date-time" },
    sample_interval_ms: int,
    uptime_seconds: int,
    cpu: obj({ count: int, percent: nullable(num), per_core: { type: "array", items: nullable(num) } }),
    load: obj({ load1: num, load5: num, load15: num, runnable: int, processes: int }),
    memory: obj({
      total_bytes: int,
      available_bytes: int,
      used_bytes: int,
      free_bytes: int,
      buffers_bytes: int,
      cached_bytes: int,
      percent: num,
    }),
    swap: obj({ total_bytes: int, used_bytes: int, free_bytes: int, percent: num }),
    disk: obj({ path: str, total_bytes: int, used_bytes: int, free_bytes: int, available_bytes: int, percent: num }),
    network: obj({
      excluded: { type: "array", items: str },
      total: obj({ rx_bytes_per_sec: nullable(int), tx_bytes_per_sec: nullable(int) }),
      interfaces: {
        type: "array",
        items: obj({
          name: str,
          counted: { type: "boolean" },
          operstate: nullable(str),
          speed_mbps: nullable(int),
          rx_bytes: int,
          tx_bytes: int,
          rx_bytes_per_sec: nullable(int),
          tx_bytes_per_sec: nullable(int),
        }),
      },
    }),
    temperatures: { type: "array", items: obj({ zone: str, type: str, celsius: num }) },
  }),
  Weather: obj({
    source: str,
    latitude: num,
    longitude: num,
    timezone: nullable(str),
    current: obj({
      time: str,
      temperature_c: num,
      apparent_temperature_c: nullable(num),
      humidity_percent: nullable(num),
      wind_speed_kmh: nullable(num),
      wind_direction_deg: nullable(num),
      weather_code: int,
      description: str,
      is_day: nullable({ type: "boolean" }),
    }),
    daily: {
      type: "array",
      items: obj({
        date: str,
        weather_code: int,
        description: str,
        temperature_max_c: num,
        temperature_min_c: num,
        precipitation_mm: nullable(num),
        precipitation_probability_percent: nullable(num),
      }),
    },
  }),
  WeatherEnvelope: cached("Weather"),
  Activity: obj({
    source: str,
    user: str,
    items: {
      type: "array",
      items: obj({
        id: int,
        type: str,
        created: str,
        actor: nullable(str),
        repo: nullable(str),
        repo_url: nullable(str),
        ref: nullable(str),
        commit_count: int,
        commits: { type: "array", items: obj({ sha: str, message: str, author: nullable(str), timestamp: nullable(str) }) },
      }),
    },
  }),
  ActivityEnvelope: cached("Activity"),
  Homes: obj({
    homes: {
      type: "array",
      items: obj({ service: str, title: str, home: str, answers: { type: "boolean" }, status: nullable(int), ms: nullable(int), error: nullable(str) }),
    },
  }),
  HomesEnvelope: cached("Homes"),
  Health: obj({
    status: { type: "string", enum: ["ok", "degraded"] },
    uptime_seconds: int,
    sampler: obj({ fresh: { type: "boolean" }, age_ms: nullable(int), interval_ms: int, last_error: nullable(str) }),
  }),
  Backups: {
    type: "object",
    description: "enabled: false when BACKUP_STATUS_DIR is unset; otherwise the host's backup status (see the route).",
    properties: {
      enabled: { type: "boolean" },
      available: { type: "boolean" },
      host: nullable(str),
      status: { type: "string", enum: ["ok", "stale", "never", "failed"] },
      problems: { type: "array", items: str },
      checked_at: { type: "string", format: "date-time" },
      schedule: nullable(obj({ backup_interval_seconds: int, drill_interval_seconds: int })),
      services: { type: "array", items: obj({ service: str, backup: { $ref: "#/components/schemas/BackupResult" }, drill: { $ref: "#/components/schemas/BackupResult" } }) },
      repository: obj({ retention: nullable({ $ref: "#/components/schemas/BackupResult" }), check: { $ref: "#/components/schemas/BackupResult" } }),
      reason: str,
      error: str,
    },
    required: ["enabled"],
  },
  BackupResult: obj({
    status: { type: "string", enum: ["ok", "stale", "never", "failed"] },
    ok: nullable({ type: "boolean" }),
    finished_at: nullable(str),
    last_success_at: nullable(str),
    age_seconds: nullable(int),
    error: nullable(str),
    details: nullable({ type: "object" }),
  }),
  OpenApi: { type: "object", description: "An OpenAPI 3.0 document" },
};

const errorResponse = (description: string): object => ({
  description,
  content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
});

export function buildOpenApi(version: string): Record<string, unknown> {
  const paths: Record<string, object> = {};
  for (const [path, spec] of Object.entries(ROUTES) as [string, RouteSpec][]) {
    const ok = { "application/json": { schema: { $ref: `#/components/schemas/${spec.schema}` } } };
    const responses: Record<string, object> = {
      "200": { description: "OK", content: ok },
      "400": errorResponse("Unknown or invalid query parameter (named in the message)"),
      "405": errorResponse("Method not allowed (Allow: GET, HEAD)"),
    };
    for (const [status, description] of Object.entries(spec.extraStatuses ?? {})) {
      // /api/health answers 503 with its own body; other routes with an Error.
      responses[status] = spec.schema === "Health" ? { description, content: ok } : errorResponse(description);
    }
    paths[path] = {
      get: {
        summary: spec.summary,
        description: spec.description,
        parameters: spec.query.map((q) => ({
          name: q.name,
          in: "query",
          required: false,
          description: q.description,
          schema: { type: "integer", minimum: q.minimum, maximum: q.maximum },
        })),
        responses,
      },
    };
  }
  return {
    openapi: "3.0.3",
    info: {
      title: "KiteStacks metrics API",
      version,
      description: "Host statistics, weather and Forgejo activity for the KiteStacks portal (served under /api/*).",
    },
    paths,
    components: { schemas: SCHEMAS },
  };
}
