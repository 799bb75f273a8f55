/**
 * Durations as the Docker provider reads them back. The provider parses a healthcheck's
 * `interval`/`timeout`/`start_period` with Go's time.ParseDuration and stores what it reads
 * from the engine with time.Duration.String() (kreuzwerker/terraform-provider-docker
 * internal/provider/resource_docker_container_funcs.go, resourceDockerContainerRead):
 * "60s" is written, "1m0s" comes back, and every plan after the first shows a diff that
 * replaces the container. Writing the canonical form makes the two equal.
 */

const UNIT_NS: Record<string, number> = { ns: 1, us: 1e3, "µs": 1e3, "μs": 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 };

/** Nanoseconds of a Go duration string ("1m30s", "1.5s", "250ms"); undefined when it is not one. */
export function parseGoDuration(text: string): number | undefined {
  if (text === "0") return 0;
  const m = /^([0-9]*\.?[0-9]+(?:ns|us|µs|μs|ms|s|m|h))+$/.exec(text);
  if (!m) return undefined;
  let total = 0;
  for (const part of text.matchAll(/([0-9]*\.?[0-9]+)(ns|us|µs|μs|ms|s|m|h)/g)) total += Number(part[1]) * UNIT_NS[part[2]];
  return Math.round(total);
}

/** Go's time.Duration.String() of a whole number of nanoseconds. */
export function formatGoDuration(ns: number): string {
  if (ns === 0) return "0s";
  const frac = (value: number, digits: number) => value.toFixed(digits).replace(/\.?0+$/, "");
  if (ns < 1e3) return `${ns}ns`;
  if (ns < 1e6) return `${frac(ns / 1e3, 3)}µs`;
  if (ns < 1e9) return `${frac(ns / 1e6, 6)}ms`;
  const h = Math.floor(ns / 3600e9);
  const m = Math.floor((ns % 3600e9) / 60e9);
  const s = frac((ns % 60e9) / 1e9, 9);
  if (h > 0) return `${h}h${m}m${s}s`;
  if (m > 0) return `${m}m${s}s`;
  return `${s}s`;
}

/**
 * The canonical form of a duration for the Docker provider ("60s" -> "1m0s"). Throws, naming
 * `where` and the value, for anything Go's ParseDuration would not read.
 */
export function dockerDuration(text: string, where: string): string {
  const ns = parseGoDuration(text);
  if (ns === undefined) throw new Error(`${where}: ${JSON.stringify(text)} is not a duration. Fix: write it as Docker does, e.g. "30s", "1m30s", "500ms".`);
  return formatGoDuration(ns);
}
