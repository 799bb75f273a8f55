/**
 * Current conditions and a short daily forecast from Open-Meteo
 * (GET {WEATHER_API_BASE}/v1/forecast, no API key).
 */
import { fetchJson } from "./cache";
import type { WeatherConfig } from "./config";

export interface Weather {
  source: "open-meteo";
  latitude: number;
  longitude: number;
  timezone: string | null;
  current: {
    time: string;
    temperature_c: number;
    apparent_temperature_c: number | null;
    humidity_percent: number | null;
    wind_speed_kmh: number | null;
    wind_direction_deg: number | null;
    weather_code: number;
    description: string;
    is_day: boolean | null;
  };
  daily: {
    date: string;
    weather_code: number;
    description: string;
    temperature_max_c: number;
    temperature_min_c: number;
    precipitation_mm: number | null;
    precipitation_probability_percent: number | null;
  }[];
}

/** WMO weather interpretation codes as used by Open-Meteo. */
const WMO: Record<number, string> = {
  0: "Clear sky",
  1: "Mainly clear",
  2: "Partly cloudy",
  3: "Overcast",
  45: "Fog",
  48: "Depositing rime fog",
  51: "Light drizzle",
  53: "Moderate drizzle",
  55: "Dense drizzle",
  56: "Light freezing drizzle",
  57: "Dense freezing drizzle",
  61: "Slight rain",
  63: "Moderate rain",
  65: "Heavy rain",
  66: "Light freezing rain",
  67: "Heavy freezing rain",
  71: "Slight snow fall",
  73: "Moderate snow fall",
  75: "Heavy snow fall",
  77: "Snow grains",
  80: "Slight rain showers",
  81: "Moderate rain showers",
  82: "Violent rain showers",
  85: "Slight snow showers",
  86: "Heavy snow showers",
  95: "Thunderstorm",
  96: "Thunderstorm with slight hail",
  99: "Thunderstorm with heavy hail",
};

export function describeWeatherCode(code: number): string {
  return WMO[code] ?? `Unknown (${code})`;
}

const CURRENT = "temperature_2m,apparent_temperature,relative_humidity_2m,wind_speed_10m,wind_direction_10m,weather_code,is_day";
const DAILY = "weather_code,temperature_2m_max,temperature_2m_min,precipitation_sum,precipitation_probability_max";

export function weatherUrl(cfg: WeatherConfig): string {
  return (
    `${cfg.apiBase}/v1/forecast?latitude=${cfg.latitude}&longitude=${cfg.longitude}` +
    `&current=${CURRENT}&daily=${DAILY}&timezone=auto&forecast_days=${cfg.forecastDays}`
  );
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

function req(o: Obj, key: string, where: string): number {
  const v = o[key];
  if (typeof v !== "number" || !Number.isFinite(v)) throw new Error(`malformed response: ${where}.${key} is not a number`);
  return v;
}
function opt(o: Obj, key: string): number | null {
  const v = o[key];
  return typeof v === "number" && Number.isFinite(v) ? v : null;
}
function arr(o: Obj, key: string, len: number): unknown[] {
  const v = o[key];
  if (!Array.isArray(v) || v.length !== len) throw new Error(`malformed response: daily.${key} is not an array of ${len}`);
  return v;
}

/** Validates and reshapes an Open-Meteo forecast response. */
export function parseWeather(body: unknown): Weather {
  if (!isObj(body) || !isObj(body.current) || !isObj(body.daily)) {
    throw new Error("malformed response: missing current or daily");
  }
  const c = body.current;
  const d = body.daily;
  if (typeof c.time !== "string") throw new Error("malformed response: current.time is not a string");
  const dates = d.time;
  if (!Array.isArray(dates) || dates.some((t) => typeof t !== "string")) {
    throw new Error("malformed response: daily.time is not a list of dates");
  }
  const n = dates.length;
  const code = arr(d, "weather_code", n);
  const tmax = arr(d, "temperature_2m_max", n);
  const tmin = arr(d, "temperature_2m_min", n);
  const precip = Array.isArray(d.precipitation_sum) ? d.precipitation_sum : [];
  const prob = Array.isArray(d.precipitation_probability_max) ? d.precipitation_probability_max : [];
  const num = (v: unknown, what: string): number => {
    if (typeof v !== "number" || !Number.isFinite(v)) throw new Error(`malformed response: ${what} is not a number`);
    return v;
  };
  const maybe = (v: unknown): number | null => (typeof v === "number" && Number.isFinite(v) ? v : null);
  const currentCode = req(c, "weather_code", "current");
  const isDay = opt(c, "is_day");
  return {
    source: "open-meteo",
    latitude: req(body, "latitude", "body"),
    longitude: req(body, "longitude", "body"),
    timezone: typeof body.timezone === "string" ? body.timezone : null,
    current: {
      time: c.time,
      temperature_c: req(c, "temperature_2m", "current"),
      apparent_temperature_c: opt(c, "apparent_temperature"),
      humidity_percent: opt(c, "relative_humidity_2m"),
      wind_speed_kmh: opt(c, "wind_speed_10m"),
      wind_direction_deg: opt(c, "wind_direction_10m"),
      weather_code: currentCode,
      description: describeWeatherCode(currentCode),
      is_day: isDay === null ? null : isDay === 1,
    },
    daily: dates.map((date, i) => {
      const wc = num(code[i], `daily.weather_code[${i}]`);
      return {
        date: date as string,
        weather_code: wc,
        description: describeWeatherCode(wc),
        temperature_max_c: num(tmax[i], `daily.temperature_2m_max[${i}]`),
        temperature_min_c: num(tmin[i], `daily.temperature_2m_min[${i}]`),
        precipitation_mm: maybe(precip[i]),
        precipitation_probability_percent: maybe(prob[i]),
      };
    }),
  };
}

export function fetchWeather(cfg: WeatherConfig): (signal: AbortSignal) => Promise<Weather> {
  const url = weatherUrl(cfg);
  return async (signal) => parseWeather(await fetchJson(url, signal));
}
