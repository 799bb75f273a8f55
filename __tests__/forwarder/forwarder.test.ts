/**
 * The forwarder's generated nginx config, run by real nginx in front of fake homes on
 * 127.0.0.1: what a request through a non-home connector host really gets.
 */
import { createHash, randomBytes } from "node:crypto";
import { createServer, IncomingHttpHeaders, request, Server } from "node:http";
import { AddressInfo, Socket } from "node:net";
import { forwarderDownPage } from "../../constructs/forwarder-nginx-config";
import { freePort } from "../../portal/build/nginx";
import { LocalForwarder } from "./local-forwarder";

const base = { service: "forgejo", title: "Forgejo", homeHost: "kscloud1", viaHost: "monk" } as const;

interface Seen {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  bytes: number;
  sha256: string;
}

/** A fake home app: records each request, answers 200 with JSON of what it saw. */
class FakeHome {
  readonly seen: Seen[] = [];
  /** Upgraded sockets leave the server's books: closed by hand. */
  private readonly upgraded = new Set<Socket>();
  server: Server;
  constructor(handler?: (url: string) => { status: number; body: string } | undefined) {
    this.server = createServer((req, res) => {
      const hash = createHash("sha256");
      let bytes = 0;
      req.on("data", (c: Buffer) => {
        bytes += c.length;
        hash.update(c);
      });
      req.on("end", () => {
        const seen = { method: req.method!, url: req.url!, headers: req.headers, bytes, sha256: hash.digest("hex") };
        this.seen.push(seen);
        const custom = handler?.(req.url!);
        if (custom) {
          res.writeHead(custom.status, { "content-type": "text/plain" });
          res.end(custom.body);
          return;
        }
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify(seen));
      });
    });
    // A minimal websocket endpoint: handshake, then echo one text frame back (RFC 6455).
    this.server.on("upgrade", (req, socket: Socket) => {
      this.upgraded.add(socket);
      socket.on("close", () => this.upgraded.delete(socket));
      const accept = createHash("sha1").update(`${req.headers["sec-websocket-key"]}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest("base64");
      socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`);
      socket.once("data", (frame: Buffer) => {
        const len = frame[1] & 0x7f;
        const mask = frame.subarray(2, 6);
        const payload = Buffer.from(frame.subarray(6, 6 + len).map((b, i) => b ^ mask[i % 4]));
        const reply = Buffer.from(`echo from home: ${payload.toString()}`);
        socket.write(Buffer.concat([Buffer.from([0x81, reply.length]), reply]));
      });
    });
  }
  listen(): Promise<number> {
    return new Promise((resolve) => this.server.listen(0, "127.0.0.1", () => resolve((this.server.address() as AddressInfo).port)));
  }
  close(): Promise<void> {
    this.server.closeAllConnections?.();
    for (const socket of this.upgraded) socket.destroy();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  ms: number;
}

function send(port: number, options: { path?: string; method?: string; headers?: Record<string, string>; body?: Buffer } = {}): Promise<Reply> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const req = request(
      { host: "127.0.0.1", port, path: options.path ?? "/", method: options.method ?? "GET", headers: options.headers, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, text: Buffer.concat(chunks).toString(), ms: Date.now() - started }));
      },
    );
    req.on("error", reject);
    if (options.body) {
      // Stream in 1 MB pieces, as a git push would.
      for (let i = 0; i < options.body.length; i += 1 << 20) req.write(options.body.subarray(i, i + (1 << 20)));
    }
    req.end();
  });
}

describe("forwarder in front of a live home", () => {
  const home = new FakeHome((url) => (url === "/app-error" ? { status: 502, body: "the app's own 502" } : undefined));
  let forwarder: LocalForwarder;

  beforeAll(async () => {
    const port = await home.listen();
    forwarder = await LocalForwarder.start({ ...base, upstreamHost: "127.0.0.1", upstreamPort: port });
  });
  afterAll(async () => {
    await forwarder?.stop();
    await home.close();
  });

  test("nginx -t accepts the generated config", () => {
    expect(forwarder.check()).toMatch(/syntax is ok[\s\S]*test is successful/);
  });

  test("proxies with the visitor's Host and the edge's X-Forwarded-* preserved", async () => {
    const reply = await send(forwarder.port, {
      path: "/kenpat/homelab.git/info/refs?service=git-upload-pack",
      headers: { Host: "gitforge.kitestacks.com", "X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.7" },
    });
    expect(reply.status).toBe(200);
    const seen = JSON.parse(reply.text) as Seen;
    expect(seen.url).toBe("/kenpat/homelab.git/info/refs?service=git-upload-pack");
    expect(seen.headers.host).toBe("gitforge.kitestacks.com");
    expect(seen.headers["x-forwarded-proto"]).toBe("https");
    expect(seen.headers["x-forwarded-host"]).toBe("gitforge.kitestacks.com");
    expect(seen.headers["x-forwarded-for"]).toBe("203.0.113.7, 127.0.0.1");
  });

  test("without an edge header, X-Forwarded-Proto says this hop's scheme", async () => {
    const seen = JSON.parse((await send(forwarder.port, { headers: { Host: "gitforge.kitestacks.com" } })).text) as Seen;
    expect(seen.headers["x-forwarded-proto"]).toBe("http");
  });

  test("streams a 48 MB push body through unchanged (no body limit)", async () => {
    const body = randomBytes(48 << 20);
    const reply = await send(forwarder.port, {
      path: "/kenpat/homelab.git/git-receive-pack",
      method: "POST",
      headers: { Host: "gitforge.kitestacks.com", "Content-Type": "application/x-git-receive-pack-request", "Content-Length": String(body.length) },
      body,
    });
    expect(reply.status).toBe(200);
    const seen = JSON.parse(reply.text) as Seen;
    expect(seen.bytes).toBe(body.length);
    expect(seen.sha256).toBe(createHash("sha256").update(body).digest("hex"));
  });

  test("upgrades websockets and carries frames both ways", async () => {
    const key = randomBytes(16).toString("base64");
    const answer = await new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = request({
        host: "127.0.0.1",
        port: forwarder.port,
        path: "/api/v1/ws",
        headers: { Host: "gitforge.kitestacks.com", Connection: "Upgrade", Upgrade: "websocket", "Sec-WebSocket-Version": "13", "Sec-WebSocket-Key": key },
        agent: false,
      });
      req.on("upgrade", (res, socket: Socket) => {
        const expected = createHash("sha1").update(`${key}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest("base64");
        if (res.headers["sec-websocket-accept"] !== expected) reject(new Error("bad accept key"));
        const payload = Buffer.from("ping");
        const mask = randomBytes(4);
        socket.write(Buffer.concat([Buffer.from([0x81, 0x80 | payload.length]), mask, payload.map((b, i) => b ^ mask[i % 4])]));
        socket.once("data", (frame: Buffer) => {
          resolve({ status: res.statusCode!, text: frame.subarray(2, 2 + (frame[1] & 0x7f)).toString() });
          socket.destroy();
        });
      });
      req.on("response", (res) => reject(new Error(`no upgrade: ${res.statusCode}`)));
      req.on("error", reject);
      req.end();
    });
    expect(answer).toEqual({ status: 101, text: "echo from home: ping" });
  });

  test("the app's own error responses pass through, not the down page", async () => {
    const reply = await send(forwarder.port, { path: "/app-error" });
    expect(reply.status).toBe(502);
    expect(reply.text).toBe("the app's own 502");
    expect(reply.headers["retry-after"]).toBeUndefined();
  });
});

describe("forwarder when the home does not answer", () => {
  test("an unreachable home gets a 503 page naming the home host, with Retry-After", async () => {
    // A port nothing listens on: connection refused, as when the home's Docker is down.
    const forwarder = await LocalForwarder.start({ ...base, upstreamHost: "127.0.0.1", upstreamPort: await freePort() });
    try {
      const reply = await send(forwarder.port, { path: "/kenpat", headers: { Host: "gitforge.kitestacks.com" } });
      expect(reply.status).toBe(503);
      expect(reply.headers["retry-after"]).toBe("30");
      expect(reply.headers["content-type"]).toMatch(/^text\/html/);
      expect(reply.headers["cache-control"]).toBe("no-store");
      expect(reply.headers["x-kitestacks-home"]).toBe("kscloud1");
      expect(reply.text).toContain("<h1>Forgejo is on kscloud1, which is not answering</h1>");
      expect(reply.text).toContain("reached <code>monk</code>");
      expect(reply.text).not.toMatch(/cloudflare|nginx/i);
      // The same page again: the home is not marked down locally, each request tries it.
      expect((await send(forwarder.port)).status).toBe(503);
    } finally {
      await forwarder.stop();
    }
  });

  test("a home that goes away while the forwarder runs, then comes back", async () => {
    const home = new FakeHome();
    const port = await home.listen();
    const forwarder = await LocalForwarder.start({ ...base, upstreamHost: "127.0.0.1", upstreamPort: port });
    try {
      expect((await send(forwarder.port)).status).toBe(200);
      await home.close();
      expect((await send(forwarder.port)).status).toBe(503);
      const back = new FakeHome();
      await new Promise<void>((resolve) => back.server.listen(port, "127.0.0.1", () => resolve()));
      try {
        expect((await send(forwarder.port)).status).toBe(200);
      } finally {
        await back.close();
      }
    } finally {
      await forwarder.stop();
    }
  });

  test("a home that accepts but stays silent gets the down page after the idle timeout", async () => {
    const silent = createServer(() => {
      /* never answers */
    });
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", () => resolve()));
    const forwarder = await LocalForwarder.start({
      ...base,
      upstreamHost: "127.0.0.1",
      upstreamPort: (silent.address() as AddressInfo).port,
      idleTimeout: "1s",
      retryAfterSeconds: 10,
    });
    try {
      const reply = await send(forwarder.port);
      expect(reply.status).toBe(503);
      expect(reply.headers["retry-after"]).toBe("10");
      expect(reply.ms).toBeGreaterThanOrEqual(900);
      expect(reply.ms).toBeLessThan(5000);
    } finally {
      await forwarder.stop();
      silent.closeAllConnections?.();
      await new Promise((r) => silent.close(r));
    }
  });
});

describe("forwarder config from hostile names", () => {
  test("a title with nginx variables and quotes is shown literally, and nginx -t accepts it", async () => {
    const props = { ...base, title: "Bob's $host \\ <Forge>", upstreamHost: "127.0.0.1", upstreamPort: await freePort() };
    const forwarder = await LocalForwarder.start(props);
    try {
      const reply = await send(forwarder.port);
      expect(reply.status).toBe(503);
      expect(reply.text).toContain("Bob&#39;s &#36;host &#92; &lt;Forge&gt; is on kscloud1");
      expect(forwarderDownPage({ ...props, listenPort: 1, healthPort: 2 })).not.toMatch(/[$'\\]/);
    } finally {
      await forwarder.stop();
    }
  });

  test("a health port equal to the listen port is refused", () => {
    expect(() => new LocalForwarder({ ...base, upstreamHost: "127.0.0.1", upstreamPort: 1, listenPort: 3000, healthPort: 3000 })).toThrow(
      /healthPort 3000 equals listenPort/,
    );
  });
});
