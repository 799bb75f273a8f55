/**
 * Which home hosts answer from this host: every homed service's tailnet port on its home
 * (HOME_PROBES, from the homelab description), probed over Tailscale. Any HTTP answer counts
 * as "answers" (the app may send 302 or 401 to a bare GET); a refused, reset or silent
 * connection counts as "down". The portal shows it on each homed service's card.
 */
import type { HomeProbeConfig } from "./config";

export interface HomeStatus {
  service: string;
  title: string;
  home: string;
  answers: boolean;
  /** HTTP status of the answer, null when the home did not answer. */
  status: number | null;
  /** Round trip in ms, null when the home did not answer. */
  ms: number | null;
  /** Why it did not answer (refused, timed out...), null when it answered. */
  error: string | null;
}

export interface Homes {
  homes: HomeStatus[];
}

function reason(err: unknown): string {
  const e = err as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e?.cause?.code) return e.cause.code;
  if (e?.name === "AbortError" || e?.name === "TimeoutError") return "timed out";
  return e?.cause?.message ?? e?.message ?? String(err);
}

/** Probes every home in parallel, each bounded by timeoutMs; never throws. */
export function fetchHomes(probes: readonly HomeProbeConfig[], timeoutMs: number) {
  return async (signal: AbortSignal): Promise<Homes> => {
    const homes = await Promise.all(
      probes.map(async (p): Promise<HomeStatus> => {
        const started = Date.now();
        try {
          const res = await fetch(p.url, {
            method: "GET",
            redirect: "manual",
            signal: AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]),
          });
          await res.body?.cancel();
          return { service: p.service, title: p.title, home: p.home, answers: true, status: res.status, ms: Date.now() - started, error: null };
        } catch (err) {
          return { service: p.service, title: p.title, home: p.home, answers: false, status: null, ms: null, error: reason(err) };
        }
      }),
    );
    return { homes };
  };
}
