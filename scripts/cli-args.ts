/** Argument helpers shared by the project's command-line scripts (restore, adopt, adopt:move-db). */

/**
 * Takes the value after `flag` off the front of `rest`; a missing value, or another flag in its
 * place, is an error made by `fail` from "<flag> needs a value".
 */
export function takeFlagValue(rest: string[], flag: string, fail: (message: string) => Error): string {
  const v = rest.shift();
  if (!v || v.startsWith("--")) throw fail(`${flag} needs a value`);
  return v;
}
