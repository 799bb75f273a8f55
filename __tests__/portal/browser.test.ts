import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { backupSchedule } from "../../backup/plan";
import { primaryHost } from "../../homelab/derive";
import type { ConsoleMessage, Page } from "playwright-core";
import { Chromium, launchChromium } from "../../portal/build/browser";
import { portalCards } from "../../homelab/derive";
import { kitestacks } from "../../homelab/homelab";
import { homeProbes } from "../../homelab/placement";
import { freePort } from "../../portal/build/nginx";
import { FakeUpstream } from "../metrics/helpers";
import { PortalStack, PUSH_MESSAGE, PUSH_REPO } from "./stack";

const ARTIFACTS = join(__dirname, "..", "artifacts");
const cards = portalCards(kitestacks);
const stack = new PortalStack();
/** A home that answers (the first homed service's); every other home refuses connections. */
const answeringHome = new FakeUpstream();
const probes = homeProbes(kitestacks);
let browser: Chromium;

// The backup job's status directory, written as backup/image/lib.sh writes it, with fresh times.
const backupDir = mkdtempSync(join(tmpdir(), "ksbk-portal-"));
const schedule = backupSchedule(kitestacks, primaryHost(kitestacks).name, true);
function writeStatus(kind: string, service: string, ok: boolean, error = "") {
  mkdirSync(join(backupDir, kind), { recursive: true });
  const at = new Date(Date.now() - 3600_000).toISOString();
  writeFileSync(
    join(backupDir, kind, `${service}.json`),
    JSON.stringify({ kind, host: schedule.host, service, ok, startedAt: at, finishedAt: at, seconds: 5, lastSuccessAt: ok ? at : null, error, details: {} }),
  );
}
function healthyBackups() {
  writeFileSync(join(backupDir, "schedule.json"), JSON.stringify(schedule));
  for (const s of schedule.services) for (const kind of ["backup", "drill"]) writeStatus(kind, s, true);
  writeStatus("retention", "repository", true);
  writeStatus("check", "repository", true);
}

interface Watched {
  page: Page;
  /** Console errors (CSP and Trusted Types violations are console errors) and page errors. */
  errors: string[];
}

async function open(path = "/"): Promise<Watched> {
  const page = await browser.context.newPage();
  const errors: string[] = [];
  page.on("console", (m: ConsoleMessage) => {
    if (m.type() === "error") errors.push(`${m.text()} @ ${m.location().url}`);
  });
  page.on("pageerror", (e) => errors.push(`pageerror: ${e.message}`));
  await page.goto(stack.url + path, { waitUntil: "load" });
  return { page, errors };
}

const state = (page: Page, id: string) => page.getAttribute(`#${id}`, "data-state");
const field = (page: Page, id: string, name: string) => page.textContent(`#${id} [data-field="${name}"]`);

beforeAll(async () => {
  answeringHome.behaviour = (_req, res) => {
    res.writeHead(302, { location: "/login" });
    res.end();
  };
  const up = await answeringHome.start();
  const refused = `http://127.0.0.1:${await freePort()}/`;
  healthyBackups();
  await stack.start({
    // A loaded CI machine can take over a second to answer a local probe: a timed-out probe
    // would be cached as "not answering" and fail the homes test, which is not about timeouts.
    UPSTREAM_TIMEOUT_MS: "10000",
    BACKUP_STATUS_DIR: backupDir,
    HOME_PROBES: JSON.stringify(probes.map((p, i) => ({ service: p.service, title: p.title, home: p.home, url: i === 0 ? `${up}/` : refused }))),
  });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await stack.stop();
  await answeringHome.stop();
  rmSync(backupDir, { recursive: true, force: true });
});

describe("portal in headless Chromium", () => {
  test("every card of portalCards(spec) is on the page, in order, with its title and link", async () => {
    const { page, errors } = await open();
    const shown = await page.$$eval(".card", (els) =>
      els.map((el) => ({
        name: el.getAttribute("data-service"),
        title: el.querySelector(".card-link")!.textContent,
        href: el.querySelector(".card-link")!.getAttribute("href"),
        hosts: [...el.querySelectorAll(".host")].map((h) => h.textContent),
      })),
    );
    expect(shown).toEqual(cards.map((c) => ({ name: c.name, title: c.title, href: c.url, hosts: [...c.hosts] })));
    expect(await page.title()).toContain(kitestacks.services.find((s) => s.portalCard === false)!.title);
    expect(errors).toEqual([]);
    await page.close();
  });

  test("each homed card names its home and whether that home answers from this host; replicated cards say every host", async () => {
    const { page, errors } = await open();
    const first = probes[0];
    await page.waitForSelector(`.card-home[data-service="${first.service}"][data-answers="true"]`, { timeout: 30_000 });
    const marks = await page.$$eval(".card", (els) =>
      els.map((el) => {
        const home = el.querySelector(".card-home")!;
        return { name: el.getAttribute("data-service"), text: home.textContent, answers: home.getAttribute("data-answers") };
      }),
    );
    for (const card of cards) {
      const mark = marks.find((m) => m.name === card.name)!;
      if (card.placement === "replicated") {
        expect(mark).toEqual({ name: card.name, text: "on every host", answers: null });
      } else if (card.name === first.service) {
        expect(mark).toEqual({ name: card.name, text: `home: ${card.home} · answers from here`, answers: "true" });
      } else {
        expect(mark).toEqual({ name: card.name, text: `home: ${card.home} · not answering from here (ECONNREFUSED)`, answers: "false" });
      }
    }
    expect(errors).toEqual([]);
    await page.close();
  });

  test("the widgets fill with live values from the metrics API, sparklines grow, no console errors", async () => {
    const { page, errors } = await open();
    await page.waitForFunction(() => ["w-host", "w-weather", "w-activity"].every((id) => document.getElementById(id)!.dataset.state === "live"));
    expect(await field(page, "w-host", "cpu")).toMatch(/^\d+\.\d% of \d+ cores$/);
    expect(await field(page, "w-host", "memory")).toMatch(/^\d+\.\d% · [\d.]+ \w+ \/ [\d.]+ \w+$/);
    expect(await field(page, "w-host", "hostname")).not.toMatch(/^(…|unknown)?$/);
    expect(await page.textContent('[data-field="served-by"]')).toBe(await field(page, "w-host", "hostname"));
    expect(await field(page, "w-weather", "temp")).toBe("7.4 °C");
    expect(await field(page, "w-weather", "desc")).toBe("Overcast");
    expect(await page.$$eval("#w-weather .forecast li", (l) => l.length)).toBe(3);
    const push = await page.textContent("#w-activity .activity li");
    expect(push).toContain(PUSH_REPO);
    expect(push).toContain(`${PUSH_MESSAGE} (+1 more)`);
    expect(await page.getAttribute("#w-activity .activity a.repo", "href")).toBe(`http://forgejo.invalid/${PUSH_REPO}`);
    // The network rate needs two samples, and the sparklines a point per poll.
    await page.waitForFunction(
      () => document.querySelector('[data-metric="cpu"] polyline')!.getAttribute("points")!.split(" ").length >= 2,
      undefined,
      { timeout: 15_000 },
    );
    expect(await field(page, "w-host", "network")).toMatch(/↓ [\d.]+ \w+\/s\s+↑ [\d.]+ \w+\/s/);
    expect(errors).toEqual([]);
    await page.close();
  });

  test("polling pauses while the tab is hidden and resumes when it is shown", async () => {
    const { page } = await open();
    await page.waitForFunction(() => document.getElementById("w-host")!.dataset.state === "live");
    const setHidden = (hidden: boolean) =>
      page.evaluate((h) => {
        Object.defineProperty(document, "hidden", { configurable: true, get: () => h });
        Object.defineProperty(document, "visibilityState", { configurable: true, get: () => (h ? "hidden" : "visible") });
        document.dispatchEvent(new Event("visibilitychange"));
      }, hidden);
    let requests = 0;
    page.on("request", (r) => {
      if (r.url().endsWith("/api/stats")) requests++;
    });
    await setHidden(true);
    requests = 0;
    await page.waitForTimeout(7000);
    expect(requests).toBe(0);
    await setHidden(false);
    await page.waitForRequest((r) => r.url().endsWith("/api/stats"), { timeout: 1000 });
    await page.close();
  });

  test("keyboard: skip link first, then every card link in order, each with a visible focus ring", async () => {
    const { page } = await open();
    const focusInfo = () =>
      page.evaluate(() => {
        const el = document.activeElement as HTMLElement;
        const own = getComputedStyle(el);
        const after = getComputedStyle(el, "::after");
        const ring = (s: CSSStyleDeclaration) => s.outlineStyle !== "none" && parseFloat(s.outlineWidth) >= 2;
        return {
          cls: el.className,
          href: el.getAttribute("href"),
          visible: ring(own) || (after.content !== "none" && ring(after)),
          onScreen: el.getBoundingClientRect().top >= 0,
        };
      });
    await page.keyboard.press("Tab");
    expect(await focusInfo()).toMatchObject({ cls: "skip", visible: true, onScreen: true });
    await page.keyboard.press("Enter");
    expect(await page.evaluate(() => document.activeElement!.id)).toBe("services");
    const reached: string[] = [];
    for (let i = 0; i < cards.length; i++) {
      await page.keyboard.press("Tab");
      const f = await focusInfo();
      expect({ href: f.href, visible: f.visible }).toEqual({ href: f.href, visible: true });
      reached.push(f.href!);
    }
    expect(reached).toEqual(cards.map((c) => c.url));
    await page.close();
  });

  test("text contrast meets WCAG AA against the composited background", async () => {
    const { page } = await open();
    await page.waitForFunction(() => document.getElementById("w-activity")!.dataset.state === "live");
    const failures = await page.evaluate(() => {
      const parse = (c: string): number[] => (c.match(/[\d.]+/g) ?? ["0", "0", "0", "0"]).map(Number).concat([1]).slice(0, 4);
      const lum = ([r, g, b]: number[]) => {
        const ch = (v: number) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
        return 0.2126 * ch(r) + 0.7152 * ch(g) + 0.0722 * ch(b);
      };
      const over = (top: number[], under: number[]) => [0, 1, 2].map((i) => top[i] * top[3] + under[i] * (1 - top[3])).concat([1]);
      const background = (el: Element | null): number[] => {
        const chain: number[][] = [];
        for (let e = el; e; e = e.parentElement) chain.push(parse(getComputedStyle(e).backgroundColor));
        return chain.reverse().reduce((acc, c) => over(c, acc), [255, 255, 255, 1]);
      };
      const out: string[] = [];
      const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        const el = n.parentElement!;
        if (!n.textContent!.trim() || el.closest("[aria-hidden=true], .sr-only, .skip")) continue;
        const rect = el.getBoundingClientRect();
        if (rect.width === 0 || rect.height === 0) continue;
        const s = getComputedStyle(el);
        let opacity = 1;
        for (let e: Element | null = el; e; e = e.parentElement) opacity *= Number(getComputedStyle(e).opacity);
        const bg = background(el);
        const fg = over([...parse(s.color).slice(0, 3), parse(s.color)[3] * opacity], bg);
        const [hi, lo] = [lum(fg), lum(bg)].sort((a, b) => b - a);
        const ratio = (hi + 0.05) / (lo + 0.05);
        const large = parseFloat(s.fontSize) >= 24 || (parseFloat(s.fontSize) >= 18.66 && Number(s.fontWeight) >= 700);
        if (ratio < (large ? 3 : 4.5)) out.push(`${ratio.toFixed(2)} "${n.textContent!.trim().slice(0, 30)}" (${s.color} on rgb(${bg.slice(0, 3).join(",")}))`);
      }
      return out;
    });
    expect(failures).toEqual([]);
    await page.close();
  });

  test("reduced motion: the live pulse animation is off when the user asks for less motion", async () => {
    const { page } = await open();
    await page.waitForFunction(() => document.getElementById("w-host")!.dataset.state === "live");
    const animation = () => page.evaluate(() => getComputedStyle(document.querySelector("#w-host .widget-status")!, "::before").animationName);
    expect(await animation()).toBe("pulse");
    await page.emulateMedia({ reducedMotion: "reduce" });
    expect(await animation()).toBe("none");
    await page.close();
  });

  test("responsive: no horizontal scrolling on a phone; screenshots for review", async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    const { page, errors } = await open();
    await page.waitForFunction(() => ["w-host", "w-weather", "w-activity"].every((id) => document.getElementById(id)!.dataset.state === "live"));
    await page.waitForTimeout(6500); // a few sparkline points
    await page.screenshot({ path: join(ARTIFACTS, "portal.png"), fullPage: true });
    await page.setViewportSize({ width: 375, height: 800 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await page.screenshot({ path: join(ARTIFACTS, "portal-phone.png"), fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  });

  test("a failing weather upstream shows the API's stale flag on the weather widget", async () => {
    stack.weather.json({ error: "upstream down" }, 500);
    // The API serves its cached value and refreshes in the background; once that refresh has
    // failed it marks the value stale.
    for (let i = 0; i < 50; i++) {
      const env = (await (await fetch(`${stack.url}/api/weather`)).json()) as { stale?: boolean };
      if (env.stale) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    const { page, errors } = await open();
    await page.waitForFunction(() => document.getElementById("w-weather")!.dataset.state === "stale");
    expect(await field(page, "w-weather", "status")).toMatch(/^stale: from \d+ s ago \(open-meteo: upstream answered HTTP 500\)$/);
    expect(await field(page, "w-weather", "temp")).toBe("7.4 °C"); // the last good value stays
    expect(await state(page, "w-host")).not.toBe("offline");
    expect(errors).toEqual([]);
    await page.close();
  });

  test("the backups widget lists every service of the host, and a failed backup turns it red with the error", async () => {
    healthyBackups();
    const { page, errors } = await open();
    await page.waitForFunction(() => document.getElementById("w-backups")!.dataset.state === "live");
    expect(await field(page, "w-backups", "status")).toBe(`all ${schedule.services.length} backed up and drilled`);
    const rows = await page.$$eval("#w-backups .backups li", (l) => l.map((li) => [li.querySelector(".svc")!.textContent, li.getAttribute("data-status")]));
    expect(rows).toEqual(schedule.services.map((s) => [s, "ok"]));
    expect(await page.textContent("#w-backups .backups li .what")).toMatch(/^backup 1 h ago · drill 1 h ago$/);
    const liveBorder = await page.evaluate(() => getComputedStyle(document.getElementById("w-backups")!).borderLeftColor);

    const broken = schedule.services[schedule.services.length - 1];
    writeStatus("backup", broken, false, "pg_dump: error: connection refused");
    const again = await open();
    await again.page.waitForFunction(() => document.getElementById("w-backups")!.dataset.state === "failed");
    expect(await field(again.page, "w-backups", "status")).toBe("FAILED: 1 problem");
    expect(await again.page.textContent("#w-backups .backup-problems li")).toBe(`${broken} backup: failed (pg_dump: error: connection refused)`);
    expect(await again.page.getAttribute(`#w-backups .backups li:last-child`, "data-status")).toBe("failed");
    // The failed colour, as loud as an offline widget.
    expect(await again.page.evaluate(() => getComputedStyle(document.getElementById("w-backups")!).borderLeftColor)).not.toBe(liveBorder);
    expect([...errors, ...again.errors]).toEqual([]);
    healthyBackups();
    await page.close();
    await again.page.close();
  });

  test("metrics API stopped: widgets turn offline, the rest of the page keeps working", async () => {
    const { page, errors } = await open();
    await page.waitForFunction(() => document.getElementById("w-host")!.dataset.state === "live");
    const cpuBefore = await field(page, "w-host", "cpu");
    await stack.metrics.stop();
    await page.waitForFunction(() => document.getElementById("w-host")!.dataset.state === "offline", undefined, { timeout: 10_000 });
    expect(await field(page, "w-host", "status")).toMatch(/^offline: metrics API unreachable \(HTTP 502\); figures from /);
    expect(await field(page, "w-host", "cpu")).toBe(cpuBefore); // last figures kept

    // A fresh load with the API gone: every widget says so, the cards are all there.
    const fresh = await open();
    await fresh.page.waitForFunction(() => ["w-host", "w-weather", "w-activity"].every((id) => document.getElementById(id)!.dataset.state === "offline"));
    expect(await field(fresh.page, "w-weather", "status")).toMatch(/^offline: metrics API unreachable \(HTTP 502\)$/);
    expect(await fresh.page.$$eval(".card-link", (l) => l.length)).toBe(cards.length);
    await fresh.page.keyboard.press("Tab");
    expect(await fresh.page.evaluate(() => document.activeElement!.className)).toBe("skip");
    // The only errors are the browser's own network log lines for the failed API calls.
    for (const e of [...errors, ...fresh.errors]) expect(e).toMatch(/^Failed to load resource: the server responded with a status of 502 \(Bad Gateway\) @ http:\/\/127\.0\.0\.1:\d+\/api\//);
    expect(fresh.errors.length).toBeGreaterThan(0);
    await page.close();
    await fresh.page.close();
  });
});
