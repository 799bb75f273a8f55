import { createServer, IncomingMessage, Server } from "node:http";
import { AddressInfo } from "node:net";
import { comment, forgeConfigFromEnv, openOrUpdateIssue } from "../../scripts/forge-api";

/** A local stand-in for the forge API (127.0.0.1 only): records requests, answers like Forgejo/GitHub. */
function fakeForge(openIssues: { number: number; title: string }[]) {
  const requests: { method: string; url: string; auth?: string; body?: any }[] = [];
  const server: Server = createServer((req: IncomingMessage, res) => {
    let data = "";
    req.on("data", (c) => (data += c));
    req.on("end", () => {
      requests.push({ method: req.method!, url: req.url!, auth: req.headers.authorization, body: data ? JSON.parse(data) : undefined });
      res.setHeader("Content-Type", "application/json");
      if (req.method === "GET") res.end(JSON.stringify(openIssues));
      else res.end(JSON.stringify({ number: 99 }));
    });
  });
  return new Promise<{ url: string; requests: typeof requests; close: () => void }>((resolve) =>
    server.listen(0, "127.0.0.1", () => resolve({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1`, requests, close: () => server.close() })),
  );
}

describe("forge API client", () => {
  test("comments on a pull request with the job token", async () => {
    const forge = await fakeForge([]);
    try {
      await comment({ apiUrl: forge.url, repository: "kenpat/kitestacks-iac", token: "t0k" }, 12, "## Plan");
      expect(forge.requests).toEqual([{ method: "POST", url: "/api/v1/repos/kenpat/kitestacks-iac/issues/12/comments", auth: "token t0k", body: { body: "## Plan" } }]);
    } finally {
      forge.close();
    }
  });

  test("drift: opens an issue, or comments on the open one with the same title", async () => {
    const none = await fakeForge([]);
    const open = await fakeForge([{ number: 7, title: "Drift" }]);
    try {
      expect(await openOrUpdateIssue({ apiUrl: none.url, repository: "o/r", token: "t" }, "Drift", "x")).toBe(99);
      expect(none.requests.map((r) => `${r.method} ${r.url}`)).toEqual(["GET /api/v1/repos/o/r/issues?state=open&type=issues&limit=50&per_page=50", "POST /api/v1/repos/o/r/issues"]);
      expect(await openOrUpdateIssue({ apiUrl: open.url, repository: "o/r", token: "t" }, "Drift", "x")).toBe(7);
      expect(open.requests[1]).toEqual(expect.objectContaining({ method: "POST", url: "/api/v1/repos/o/r/issues/7/comments" }));
    } finally {
      none.close();
      open.close();
    }
  });

  test("names every missing setting", () => {
    expect(() => forgeConfigFromEnv({ FORGE_API_URL: "x" })).toThrow("forge-api: set FORGE_REPOSITORY, FORGE_TOKEN");
  });
});
