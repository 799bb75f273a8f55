/**
 * Running programs for the end-to-end harness: one promise per process, its output kept, a
 * clear error (command, exit code, the end of stderr) when it fails.
 */
import { spawn, SpawnOptions } from "node:child_process";

export interface RunOptions {
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
  /** Text written to the process's stdin. @default none */
  readonly input?: string | Buffer;
  /** Resolve instead of throwing on a non-zero exit. @default false */
  readonly allowFailure?: boolean;
  /** Kill the process after this many ms. @default no limit */
  readonly timeoutMs?: number;
  /** Also stream output to this process's stderr (long steps: apply). @default false */
  readonly echo?: boolean;
}

export interface RunResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export class CommandError extends Error {
  constructor(
    readonly argv: readonly string[],
    readonly result: RunResult,
  ) {
    const tail = (s: string) => s.split("\n").slice(-40).join("\n");
    super(`${argv.join(" ")} exited ${result.code}\n--- stderr (end)\n${tail(result.stderr)}\n--- stdout (end)\n${tail(result.stdout)}`);
  }
}

export function run(argv: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  return new Promise((resolvePromise, reject) => {
    const spawnOptions: SpawnOptions = {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ["pipe", "pipe", "pipe"],
    };
    const child = spawn(argv[0], argv.slice(1), spawnOptions);
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout!.on("data", (d: Buffer) => {
      out.push(d);
      if (options.echo) process.stderr.write(d);
    });
    child.stderr!.on("data", (d: Buffer) => {
      err.push(d);
      if (options.echo) process.stderr.write(d);
    });
    const timer = options.timeoutMs
      ? setTimeout(() => child.kill("SIGKILL"), options.timeoutMs)
      : undefined;
    child.on("error", (e) => {
      if (timer) clearTimeout(timer);
      reject(new Error(`${argv[0]}: ${e.message}`));
    });
    child.on("close", (code, signal) => {
      if (timer) clearTimeout(timer);
      const result = {
        code: code ?? (signal ? 128 : 1),
        stdout: Buffer.concat(out).toString("utf8"),
        stderr: Buffer.concat(err).toString("utf8") + (signal ? `\n(killed by ${signal})` : ""),
      };
      if (result.code !== 0 && !options.allowFailure) reject(new CommandError(argv, result));
      else resolvePromise(result);
    });
    if (options.input !== undefined) child.stdin!.end(options.input);
    else child.stdin!.end();
  });
}

/** `sh -c script` with the same options. */
export function sh(script: string, options: RunOptions = {}): Promise<RunResult> {
  return run(["/bin/sh", "-c", script], options);
}

/** Polls `check` until it returns a value other than undefined/false, or fails after `timeoutMs`. */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined | false>, timeoutMs: number, everyMs = 500): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value as T;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${last instanceof Error ? last.message : String(last)}` : ""}`);
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** Shell-quotes one word. */
export function quote(word: string): string {
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}
