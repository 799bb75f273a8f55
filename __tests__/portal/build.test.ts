import { readFileSync } from "node:fs";
import { join } from "node:path";
import { buildSite, escapeHtml, GENERATED_NOTE, readSite, renderCard, renderTemplate, SITE_DIR, SRC_DIR } from "../../portal/build/build";
import { portalCards } from "../../homelab/derive";
import { kitestacks } from "../../homelab/homelab";
import { HomelabSpec, ServiceSpec } from "../../homelab/types";

const html = (site = buildSite()) => site.files.find((f) => f.path === "index.html")!.content.toString();

/** The spec with one extra public service whose texts need escaping. */
function specWithNastyService(): HomelabSpec {
  const template = kitestacks.services.find((s) => s.sso.mode === "oidc")!;
  const nasty: ServiceSpec = {
    ...template,
    name: "nasty",
    title: `<script>alert("x")</script>`,
    description: `Tom & Jerry's "wiki"`,
    hostnames: [`nasty.${kitestacks.domain}`],
  };
  return { ...kitestacks, services: [...kitestacks.services, nasty] };
}

describe("portal build", () => {
  test("the committed portal/site is exactly what the build makes from the spec (run npm run portal:build)", () => {
    const fresh = buildSite();
    const committed = readSite(SITE_DIR);
    expect(committed.map((f) => f.path)).toEqual(fresh.files.map((f) => f.path));
    for (const file of fresh.files) {
      const onDisk = committed.find((f) => f.path === file.path)!;
      expect({ path: file.path, same: onDisk.content.equals(file.content) }).toEqual({ path: file.path, same: true });
    }
  });

  test("one card per portal card of the spec, in spec order, with title, link, description and hosts", () => {
    const cards = portalCards(kitestacks);
    expect(cards.length).toBeGreaterThan(0);
    const page = html();
    const found = [...page.matchAll(/<li class="card" data-service="([^"]+)">[\s\S]*?<a class="card-link" href="([^"]+)">([^<]+)<\/a>[\s\S]*?<p class="card-desc">([^<]*)<\/p>[\s\S]*?<p class="card-hosts">([\s\S]*?)<\/p>/g)];
    expect(found.map((m) => m[1])).toEqual(cards.map((c) => c.name));
    found.forEach((m, i) => {
      expect(m[2]).toBe(escapeHtml(cards[i].url));
      expect(m[3]).toBe(escapeHtml(cards[i].title));
      expect(m[4]).toBe(escapeHtml(cards[i].description));
      expect([...m[5].matchAll(/<span class="host">([^<]+)<\/span>/g)].map((h) => h[1])).toEqual(cards[i].hosts);
    });
    expect(page).toContain(`<span class="count">${cards.length}</span>`);
  });

  test("the portal itself has no card, and services without a hostname have none", () => {
    const names = buildSite().cards.map((c) => c.name);
    for (const s of kitestacks.services) {
      const shouldShow = (s.hostnames ?? []).length > 0 && s.portalCard !== false;
      expect({ service: s.name, shown: names.includes(s.name) }).toEqual({ service: s.name, shown: shouldShow });
    }
  });

  test("badges follow the spec: SSO, identity provider, admin only, state", () => {
    const byName = new Map(portalCards(kitestacks).map((c) => [c.name, renderCard(c)]));
    for (const card of portalCards(kitestacks)) {
      const markup = byName.get(card.name)!;
      expect(markup.includes("badge-sso")).toBe(card.sso === "oidc");
      expect(markup.includes("badge-idp")).toBe(card.sso === "identity-provider");
      expect(markup.includes("admin only")).toBe(card.adminOnly);
      expect(markup).toContain(card.state === "per-host" ? "per-host data" : card.state === "shared" ? "shared data" : "stateless");
    }
    expect(portalCards(kitestacks).some((c) => c.adminOnly)).toBe(true);
  });

  test("a new service in the spec becomes a card, with its texts escaped", () => {
    const site = buildSite(specWithNastyService());
    const page = html(site);
    expect(site.cards.map((c) => c.name)).toContain("nasty");
    expect(page).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;");
    expect(page).toContain("Tom &amp; Jerry&#39;s &quot;wiki&quot;");
    expect(page).not.toContain(`<script>alert`);
  });

  test("no inline script or style anywhere (the CSP forbids them), and nothing from other origins", () => {
    for (const file of buildSite().files.filter((f) => f.path.endsWith(".html"))) {
      const text = file.content.toString();
      expect(text).not.toMatch(/<style/i);
      expect(text).not.toMatch(/\sstyle=/i);
      expect(text).not.toMatch(/\son[a-z]+=/i);
      for (const m of text.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)) {
        expect(m[1]).toMatch(/src="\/assets\//);
        expect(m[2].trim()).toBe("");
      }
      for (const m of text.matchAll(/<(?:link|script|img)\b[^>]*(?:href|src)="([^"]+)"/gi)) expect(m[1]).toMatch(/^\/assets\//);
    }
    const css = readFileSync(join(SRC_DIR, "styles.css"), "utf8");
    expect(css).not.toMatch(/@import|url\(\s*["']?https?:|@font-face/);
  });

  test("assets are fingerprinted by content and the pages say they are generated", () => {
    const site = buildSite();
    for (const [name, path] of Object.entries(site.assets)) {
      expect(path).toMatch(new RegExp(`^assets/${name.replace(/\.(\w+)$/, "")}\\.[0-9a-f]{10}\\.${name.split(".").pop()}$`));
      expect(html(site)).toContain(`/${path}`);
    }
    for (const page of ["index.html", "404.html"]) {
      expect(site.files.find((f) => f.path === page)!.content.toString()).toMatch(/^<!doctype html>\n<!-- GENERATED by portal\/build\/build\.ts/i);
    }
    const cardsJson = JSON.parse(site.files.find((f) => f.path === "cards.json")!.content.toString());
    expect(cardsJson).toEqual({ $comment: GENERATED_NOTE, cards: portalCards(kitestacks) });
  });

  test("an unknown placeholder or asset in a template is an error", () => {
    expect(() => renderTemplate("{{nope}}", { title: "x" }, {}, "index.html")).toThrow(/index.html: unknown placeholder \{\{nope\}\}/);
    expect(() => renderTemplate("{{asset:missing.js}}", {}, { "app.js": "assets/app.1.js" }, "index.html")).toThrow(/names no asset/);
  });

  test("the whole site stays small (raw bytes, before gzip)", () => {
    const total = buildSite().files.reduce((n, f) => n + f.content.length, 0);
    expect(total).toBeLessThan(60_000);
  });
});
