/**
 * Recent pushes from Forgejo: GET {FORGEJO_API_BASE}/users/{user}/activities/feeds
 * (Forgejo/Gitea API "userListActivityFeeds"). Push activities ("commit_repo",
 * "mirror_sync_push", "push_tag") carry their commits as JSON in `content`.
 */
import { fetchJson } from "./cache";
import type { ActivityConfig } from "./config";

export interface ActivityCommit {
  sha: string;
  message: string;
  author: string | null;
  timestamp: string | null;
}

export interface ActivityItem {
  id: number;
  type: string;
  created: string;
  actor: string | null;
  repo: string | null;
  repo_url: string | null;
  ref: string | null;
  commit_count: number;
  commits: ActivityCommit[];
}

export interface Activity {
  source: "forgejo";
  user: string;
  items: ActivityItem[];
}

const PUSH_TYPES = new Set(["commit_repo", "mirror_sync_push", "push_tag"]);

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const str = (v: unknown): string | null => (typeof v === "string" && v !== "" ? v : null);

export function activityUrl(cfg: ActivityConfig): string {
  // Ask for more than we show: non-push activities are filtered out afterwards.
  const limit = Math.min(50, cfg.limit * 3);
  return `${cfg.apiBase}/users/${encodeURIComponent(cfg.user)}/activities/feeds?limit=${limit}`;
}

function parseCommits(content: unknown): { count: number; commits: ActivityCommit[] } {
  if (typeof content !== "string" || content === "") return { count: 0, commits: [] };
  let push: unknown;
  try {
    push = JSON.parse(content);
  } catch {
    return { count: 0, commits: [] }; // push_tag carries no JSON; not an error
  }
  if (!isObj(push) || !Array.isArray(push.Commits)) return { count: 0, commits: [] };
  const commits = push.Commits.filter(isObj).map((c) => ({
    sha: String(c.Sha1 ?? ""),
    message: String(c.Message ?? "").split("\n")[0].trim(),
    author: str(c.AuthorName),
    timestamp: str(c.Timestamp),
  }));
  const count = typeof push.Len === "number" ? push.Len : commits.length;
  return { count, commits };
}

/** Validates a Forgejo activity feed and keeps the push activities, newest first. */
export function parseActivity(body: unknown, user: string, limit: number): Activity {
  if (!Array.isArray(body)) throw new Error("malformed response: expected a JSON array of activities");
  const items: ActivityItem[] = [];
  for (const a of body) {
    if (!isObj(a) || typeof a.op_type !== "string" || typeof a.id !== "number" || typeof a.created !== "string") {
      throw new Error("malformed response: activity without id, op_type or created");
    }
    if (!PUSH_TYPES.has(a.op_type)) continue;
    const repo = isObj(a.repo) ? a.repo : {};
    const actor = isObj(a.act_user) ? a.act_user : {};
    const ref = str(a.ref_name);
    const { count, commits } = parseCommits(a.content);
    items.push({
      id: a.id,
      type: a.op_type,
      created: a.created,
      actor: str(actor.login),
      repo: str(repo.full_name),
      repo_url: str(repo.html_url),
      ref: ref === null ? null : ref.replace(/^refs\/(heads|tags)\//, ""),
      commit_count: count,
      commits,
    });
  }
  items.sort((x, y) => Date.parse(y.created) - Date.parse(x.created) || y.id - x.id);
  return { source: "forgejo", user, items: items.slice(0, limit) };
}

export function fetchActivity(cfg: ActivityConfig): (signal: AbortSignal) => Promise<Activity> {
  const url = activityUrl(cfg);
  const headers: Record<string, string> = cfg.token ? { authorization: `token ${cfg.token}` } : {};
  return async (signal) => parseActivity(await fetchJson(url, signal, headers), cfg.user, cfg.limit);
}
