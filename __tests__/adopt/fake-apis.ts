/**
 * Fake Cloudflare (v4) and Hetzner Cloud (v1) APIs on 127.0.0.1, answering the list calls
 * discovery makes with bodies in the APIs' own shapes (Cloudflare: `{success, errors, messages,
 * result, result_info: {page, per_page, count, total_count, total_pages}}`; Hetzner:
 * `{<items>, meta: {pagination: {page, per_page, previous_page, next_page, last_page,
 * total_entries}}}`), paginated the way they are, and refusing a wrong bearer token with the
 * APIs' own error bodies.
 */
import { createServer, Server } from "node:http";
import { AddressInfo } from "node:net";

export interface FakeApi {
  readonly baseUrl: string;
  /** Every request path (with query) the fake saw. */
  readonly requests: string[];
  readonly close: () => Promise<void>;
}

type Lists = Record<string, readonly unknown[]>;

async function serve(handler: (path: string, query: URLSearchParams, authorized: boolean) => { status: number; body: unknown }): Promise<FakeApi> {
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    requests.push(`${url.pathname}${url.search}`);
    const { status, body } = handler(url.pathname, url.searchParams, req.headers.authorization === `Bearer ${TOKEN}`);
    res.writeHead(status, { "content-type": "application/json" });
    res.end(JSON.stringify(body));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  return { baseUrl: `http://127.0.0.1:${port}`, requests, close: () => new Promise((r) => server.close(() => r())) };
}

export const TOKEN = "ksa2-test-token-not-a-secret";

/** Cloudflare: `lists` by path under /client/v4, e.g. "/accounts/<a>/cfd_tunnel". */
export async function fakeCloudflare(lists: Lists): Promise<FakeApi> {
  const api = await serve((path, query, authorized) => {
    if (!authorized) return { status: 403, body: { success: false, errors: [{ code: 10000, message: "Authentication error" }], messages: [], result: null } };
    const items = lists[path.replace(/^\/client\/v4/, "")];
    if (!items) return { status: 404, body: { success: false, errors: [{ code: 7003, message: "Could not route to " + path }], messages: [], result: null } };
    const perPage = Number(query.get("per_page") ?? 20);
    const page = Number(query.get("page") ?? 1);
    // The real API caps per_page lower than asked for some lists: 2 here, to exercise paging.
    const size = Math.min(perPage, 2);
    const slice = items.slice((page - 1) * size, page * size);
    return {
      status: 200,
      body: { success: true, errors: [], messages: [], result: slice, result_info: { page, per_page: size, count: slice.length, total_count: items.length, total_pages: Math.max(1, Math.ceil(items.length / size)) } },
    };
  });
  return { ...api, baseUrl: `${api.baseUrl}/client/v4` };
}

/** Hetzner: `lists` by path under /v1 and the item key ("/servers" → servers). */
export async function fakeHetzner(lists: Lists): Promise<FakeApi> {
  const api = await serve((path, query, authorized) => {
    if (!authorized) return { status: 401, body: { error: { code: "unauthorized", message: "unable to authenticate", details: null } } };
    const p = path.replace(/^\/v1/, "");
    const all = lists[p] as Record<string, unknown>[] | undefined;
    if (!all) return { status: 404, body: { error: { code: "not_found", message: "not found", details: null } } };
    const name = query.get("name");
    const items = name ? all.filter((x) => x.name === name) : all;
    const page = Number(query.get("page") ?? 1);
    const size = 1;
    const last = Math.max(1, Math.ceil(items.length / size));
    return {
      status: 200,
      body: {
        [p.slice(1)]: items.slice((page - 1) * size, page * size),
        meta: { pagination: { page, per_page: size, previous_page: page > 1 ? page - 1 : null, next_page: page < last ? page + 1 : null, last_page: last, total_entries: items.length } },
      },
    };
  });
  return { ...api, baseUrl: `${api.baseUrl}/v1` };
}
