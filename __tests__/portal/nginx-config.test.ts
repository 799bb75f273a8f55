import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PORTAL_DIR, SITE_DIR } from "../../portal/build/build";
import { ENVSUBST_FILTER, envsubst, LocalNginx, requireNginx, TEMPLATE_FILE, templateVariables } from "../../portal/build/nginx";
import { findService } from "../../homelab/derive";
import { kitestacks } from "../../homelab/homelab";
import { ServiceEnvContext } from "../../homelab/types";

const dockerfile = readFileSync(join(PORTAL_DIR, "Dockerfile"), "utf8");
const template = readFileSync(TEMPLATE_FILE, "utf8");
const portal = findService(kitestacks, "portal");

/** ENV names and values of the Dockerfile (one ENV instruction, backslash-continued). */
function dockerEnv(): Record<string, string> {
  const m = dockerfile.match(/^ENV\s+((?:.*\\\n)*.*)$/m);
  const body = m![1].replace(/\\\n/g, " ");
  const env: Record<string, string> = {};
  for (const kv of body.matchAll(/([A-Z_]+)=("(?:[^"\\]|\\.)*"|\S+)/g)) {
    env[kv[1]] = kv[2].startsWith('"') ? kv[2].slice(1, -1).replace(/\\\$/g, "$") : kv[2];
  }
  return env;
}

/** The portal's env as the spec builds it for a host (only the gateway matters here). */
function specPortalEnv(): Readonly<Record<string, string>> {
  const ctx = { host: kitestacks.hosts[0], domain: kitestacks.domain, dockerGateway: kitestacks.dockerNetwork.gateway } as ServiceEnvContext;
  return portal.env!(ctx);
}

describe("nginx template rendering (envsubst as the image's entrypoint does it)", () => {
  test("substitutes only the filtered variables and leaves nginx's own untouched", () => {
    const out = envsubst("listen ${PORTAL_PORT}; proxy_pass http://$METRICS_UPSTREAM; return $uri ${host} $HOME;", {
      PORTAL_PORT: "8080",
      METRICS_UPSTREAM: "172.30.0.1:8000",
      HOME: "/root",
      host: "nope",
    });
    expect(out).toBe("listen 8080; proxy_pass http://172.30.0.1:8000; return $uri ${host} $HOME;");
  });

  test("a filtered variable without a value is an error naming it", () => {
    expect(() => envsubst("proxy_pass http://${METRICS_UPSTREAM};", {})).toThrow(/no value for METRICS_UPSTREAM/);
  });

  test("every variable of the template is set by the Dockerfile or by the spec's portal env", () => {
    const provided = new Set([...Object.keys(dockerEnv()), ...Object.keys(specPortalEnv())]);
    const used = templateVariables(template);
    expect(used.sort()).toEqual(["METRICS_UPSTREAM", "PORTAL_PORT", "PORTAL_ROOT"]);
    for (const name of used) expect({ name, provided: provided.has(name) }).toEqual({ name, provided: true });
    // The spec points the proxy at the bridge gateway, where the metrics API listens.
    expect(specPortalEnv().METRICS_UPSTREAM).toBe(`${kitestacks.dockerNetwork.gateway}:${findService(kitestacks, "metrics").port}`);
  });

  test("the local filter is the Dockerfile's NGINX_ENVSUBST_FILTER", () => {
    expect(dockerEnv().NGINX_ENVSUBST_FILTER).toBe(ENVSUBST_FILTER.source);
  });

  test("nginx -t accepts the rendered config", async () => {
    requireNginx();
    const nginx = new LocalNginx(18099, { root: SITE_DIR, metricsUpstream: "127.0.0.1:9" });
    try {
      expect(nginx.check()).toMatch(/syntax is ok[\s\S]*test is successful/);
      expect(nginx.serverConf).not.toMatch(/\$\{?(METRICS_UPSTREAM|PORTAL_)/);
      expect(nginx.serverConf).toContain("proxy_pass http://127.0.0.1:9;");
      expect(nginx.serverConf).toContain("try_files $uri =404;");
    } finally {
      await nginx.stop();
    }
  });

  test("a broken config fails nginx -t with nginx's message", async () => {
    requireNginx();
    const dir = mkdtempSync(join(tmpdir(), "portal-template-"));
    const broken = join(dir, "default.conf.template");
    writeFileSync(broken, template.replace("server_tokens off;", "server_tokens off;\n    not_a_directive on;"));
    const nginx = new LocalNginx(18098, { root: SITE_DIR, metricsUpstream: "127.0.0.1:9", template: broken });
    try {
      expect(() => nginx.check()).toThrow(/unknown directive "not_a_directive"/);
    } finally {
      await nginx.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("portal Dockerfile", () => {
  test("pins an exact nginx base image tag (the default of the base-image build argument)", () => {
    const from = dockerfile.match(/^FROM\s+(\S+)/m)![1];
    // FROM ${NGINX_IMAGE}: the pinned image is the ARG's default (tests pass another base).
    const arg = /^\$\{([A-Z_]+)\}$/.exec(from);
    const image = arg ? new RegExp(`^ARG ${arg[1]}=(\\S+)$`, "m").exec(dockerfile)![1] : from;
    expect(image).toMatch(/^nginxinc\/nginx-unprivileged:\d+\.\d+\.\d+-alpine$/);
  });

  test("listens on the spec's container port and checks health the way the spec does", () => {
    expect(dockerEnv().PORTAL_PORT).toBe(String(portal.port));
    expect(dockerfile).toMatch(new RegExp(`^EXPOSE ${portal.port}$`, "m"));
    const hc = dockerfile.match(/^HEALTHCHECK[^\n]*\\\n\s+CMD (\[.*\])$/m)![1];
    expect(JSON.parse(hc)).toEqual(portal.healthcheck.test.slice(1));
    expect(template).toMatch(/location = \/healthz/);
  });

  test("ships the template and the committed site, and runs as the image's non-root user", () => {
    expect(dockerfile).toMatch(/^COPY nginx\/default\.conf\.template \/etc\/nginx\/templates\/default\.conf\.template$/m);
    expect(dockerfile).toMatch(new RegExp(`^COPY site/ ${dockerEnv().PORTAL_ROOT}/$`, "m"));
    expect(dockerfile).not.toMatch(/^USER\s+(root|0)\b/m);
  });

  test(".dockerignore sends only the Dockerfile, the template and the site", () => {
    const lines = readFileSync(join(PORTAL_DIR, ".dockerignore"), "utf8").split("\n").filter((l) => l && !l.startsWith("#"));
    expect(lines[0]).toBe("*");
    expect(lines.filter((l) => l.startsWith("!")).map((l) => l.replace(/\/(\*\*)?$/, "")).sort()).toEqual(["!Dockerfile", "!nginx", "!nginx", "!site", "!site"]);
  });
});
