/**
 * Cache for one upstream (weather, Forgejo activity) with these rules:
 * - A value younger than ttlMs is served as is.
 * - An older value is still served at once while ONE background refresh runs;
 *   concurrent callers share that refresh (no thundering herd).
 * - If the newest refresh failed (error, timeout, bad JSON), the last good
 *   value is served with stale: true, its age and the error.
 * - With no good value yet, callers wait for the shared refresh; if it fails
 *   they get { available: false, stale: true, error } (never an exception).
 * - After a failure the upstream is not retried for retryMs (min(ttl, 30 s)).
 */

export type Fetcher<T> = (signal: AbortSignal) => Promise<T>;

export interface CacheOptions<T> {
  name: string;
  ttlMs: number;
  timeoutMs: number;
  fetch: Fetcher<T>;
  /** Wall-clock milliseconds (injectable for tests). */
  now?: () => number;
}

export type CacheResult<T> =
  | { available: true; stale: boolean; age_seconds: number; fetched_at: string; error?: string; data: T }
  | { available: false; stale: true; error: string };

export class UpstreamCache<T> {
  private readonly opts: CacheOptions<T>;
  private readonly now: () => number;
  private value: T | undefined;
  private fetchedAt = 0;
  private failedAt: number | undefined;
  private error: string | undefined;
  private inflight: Promise<void> | undefined;
  private readonly controllers = new Set<AbortController>();
  /** Number of upstream calls made (for tests and the health endpoint). */
  upstreamCalls = 0;

  constructor(opts: CacheOptions<T>) {
    this.opts = opts;
    this.now = opts.now ?? Date.now;
  }

  private get retryMs(): number {
    return Math.min(this.opts.ttlMs, 30_000);
  }

  /** Starts a refresh unless one is running; resolves when it has settled. */
  refresh(): Promise<void> {
    if (this.inflight) return this.inflight;
    const controller = new AbortController();
    this.controllers.add(controller);
    const timer = setTimeout(
      () => controller.abort(new Error(`timed out after ${this.opts.timeoutMs} ms`)),
      this.opts.timeoutMs,
    );
    this.upstreamCalls++;
    this.inflight = this.opts
      .fetch(controller.signal)
      .then(
        (value) => {
          this.value = value;
          this.fetchedAt = this.now();
          this.failedAt = undefined;
          this.error = undefined;
        },
        (err: unknown) => {
          const reason = controller.signal.aborted ? controller.signal.reason : err;
          this.failedAt = this.now();
          this.error = `${this.opts.name}: ${reason instanceof Error ? reason.message : String(reason)}`;
        },
      )
      .finally(() => {
        clearTimeout(timer);
        this.controllers.delete(controller);
        this.inflight = undefined;
      });
    return this.inflight;
  }

  /** Settles when no refresh is running. */
  async idle(): Promise<void> {
    await this.inflight;
  }

  /** Aborts upstream calls in progress (used at shutdown). */
  abort(): void {
    for (const c of this.controllers) c.abort(new Error("shutting down"));
  }

  private due(): boolean {
    const now = this.now();
    if (this.failedAt !== undefined && now - this.failedAt < this.retryMs) return false;
    return this.value === undefined || now - this.fetchedAt >= this.opts.ttlMs;
  }

  private result(): CacheResult<T> {
    if (this.value === undefined) {
      return { available: false, stale: true, error: this.error ?? `${this.opts.name}: no data yet` };
    }
    const age = Math.max(0, Math.floor((this.now() - this.fetchedAt) / 1000));
    const base = { available: true as const, age_seconds: age, fetched_at: new Date(this.fetchedAt).toISOString(), data: this.value };
    return this.error === undefined ? { ...base, stale: false } : { ...base, stale: true, error: this.error };
  }

  /** The value to serve now; waits on the upstream only when there has never been a value. */
  async get(): Promise<CacheResult<T>> {
    if (this.due()) {
      const pending = this.refresh();
      if (this.value === undefined) await pending;
    } else if (this.value === undefined && this.inflight) {
      await this.inflight;
    }
    return this.result();
  }
}

/** Fetches a URL and parses JSON, with an error message that says what went wrong. */
export async function fetchJson(url: string, signal: AbortSignal, headers: Record<string, string> = {}): Promise<unknown> {
  const res = await fetch(url, { signal, headers: { accept: "application/json", ...headers } });
  const text = await res.text();
  if (!res.ok) throw new Error(`upstream answered HTTP ${res.status}`);
  try {
    return JSON.parse(text);
  } catch {
    throw new Error("upstream sent malformed JSON");
  }
}
