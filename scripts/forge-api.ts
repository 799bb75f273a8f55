/**
 * Posts CI results through the forge's REST API. Forgejo (/api/v1) and GitHub share these
 * endpoints, so one script serves both workflow sets.
 *
 *   tsx scripts/forge-api.ts comment <issue or PR number> <markdown file>
 *   tsx scripts/forge-api.ts issue <title> <markdown file>   opens it, or comments on the open one
 *
 * Environment: FORGE_API_URL (https://api.github.com, or https://<forgejo>/api/v1),
 * FORGE_REPOSITORY (owner/name), FORGE_TOKEN (the job token; never printed).
 */
import { readFileSync } from "node:fs";

export interface ForgeConfig {
  readonly apiUrl: string;
  readonly repository: string;
  readonly token: string;
}

export function forgeConfigFromEnv(env: NodeJS.ProcessEnv): ForgeConfig {
  const missing = ["FORGE_API_URL", "FORGE_REPOSITORY", "FORGE_TOKEN"].filter((k) => !env[k]);
  if (missing.length > 0) throw new Error(`forge-api: set ${missing.join(", ")}`);
  return { apiUrl: env.FORGE_API_URL!.replace(/\/+$/, ""), repository: env.FORGE_REPOSITORY!, token: env.FORGE_TOKEN! };
}

async function call(config: ForgeConfig, method: string, path: string, body?: unknown): Promise<any> {
  const response = await fetch(`${config.apiUrl}/repos/${config.repository}${path}`, {
    method,
    headers: { Authorization: `token ${config.token}`, "Content-Type": "application/json", Accept: "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`forge-api: ${method} ${path}: HTTP ${response.status} ${(await response.text()).slice(0, 300)}`);
  return response.status === 204 ? undefined : response.json();
}

export async function comment(config: ForgeConfig, issue: number, markdown: string): Promise<void> {
  await call(config, "POST", `/issues/${issue}/comments`, { body: markdown });
}

/** Opens an issue with this title, or comments on the open one, so a daily check does not pile up issues. */
export async function openOrUpdateIssue(config: ForgeConfig, title: string, markdown: string): Promise<number> {
  const open = (await call(config, "GET", `/issues?state=open&type=issues&limit=50&per_page=50`)) as { number: number; title: string }[];
  const existing = open.find((i) => i.title === title);
  if (existing) {
    await comment(config, existing.number, markdown);
    return existing.number;
  }
  const created = (await call(config, "POST", "/issues", { title, body: markdown })) as { number: number };
  return created.number;
}

async function main(argv: string[]): Promise<number> {
  const [command, target, file] = argv;
  if (!command || !target || !file || !["comment", "issue"].includes(command)) {
    process.stderr.write("usage: forge-api.ts comment <number> <file> | issue <title> <file>\n");
    return 2;
  }
  const config = forgeConfigFromEnv(process.env);
  const markdown = readFileSync(file, "utf8");
  if (command === "comment") await comment(config, Number(target), markdown);
  else process.stdout.write(`issue #${await openOrUpdateIssue(config, target, markdown)}\n`);
  return 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: Error) => {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    },
  );
}
