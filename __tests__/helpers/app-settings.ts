/**
 * A container's settings as the app sees them: its env, with secrets passed as files
 * (ServiceEnvContext.secretFile) read back from the container's uploads. `NAME=/path` and
 * `NAME=file:///path` take the file's content; `NAME_FILE`, `NAME__FILE` (Postgres, MariaDB,
 * Grafana, Forgejo) and linuxserver's `FILE__NAME` become `NAME`.
 */
export function appSettingsOf(container: Record<string, any>): Record<string, string> {
  const files = new Map<string, string>(((container.upload ?? []) as { file: string; content: string }[]).map((u) => [u.file, u.content]));
  const settings: Record<string, string> = {};
  for (const entry of (container.env ?? []) as string[]) {
    const eq = entry.indexOf("=");
    let [name, value] = [entry.slice(0, eq), entry.slice(eq + 1)];
    const file = files.get(value.replace(/^file:\/\//, ""));
    if (file !== undefined) {
      value = file;
      name = name.replace(/^FILE__/, "").replace(/_{1,2}FILE$/, "");
    }
    settings[name] = value;
  }
  return settings;
}
