import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AuthentikBlueprint, BlueprintTag, renderBlueprint } from "../../constructs/authentik-blueprint";
import { stringifyYaml11 } from "../../constructs/yaml-1-1";
import { kitestacks } from "../../homelab/homelab";
import { fourHostSpec } from "../fixtures/specs";
import { readWithPyYaml } from "../helpers/pyyaml";
import { synthHomelab } from "../helpers/synth";
import { generatedYaml } from "./yaml-documents";

/**
 * Strings that YAML 1.1 (PyYAML) reads as something else when left plain, or that PyYAML's
 * scanner handles differently from YAML 1.2 parsers.
 */
const TRICKY: readonly string[] = [
  // bool in YAML 1.1 (PyYAML's resolver and the spec's wider y/n set)
  ..."yes Yes YES no No NO on On ON off Off OFF true True TRUE false False FALSE y Y n N".split(" "),
  // null, merge, value
  "~", "null", "Null", "NULL", "", "<<", "=",
  // int: octal, hex, binary, sexagesimal, underscores; float
  "0644", "0600", "0444", "0o644", "012345678", "08", "0x1F", "0b101", "1_000", "+12", "-0", "00",
  "1:30", "190:20:30", "1:30.5", "12:60", "1.", "1e3", "1.5e3", "1.0e+3", ".5", "._", ".inf", "-.Inf", ".NaN", "1,000",
  // timestamps
  "2001-12-14", "2001-12-14t21:59:43.10-05:00", "2001-12-14 21:59:43.10 -5", "2026-1-1 1:00:00",
  // indicators and whitespace
  "- x", "-", "?", "? x", ":", ":x", "x:", "a: b", "#x", "x #y", "@x", "`x", "%x", "!x", "&x", "*x", "|", "> x",
  "[x]", "{x}", "x, y", "'x'", '"x"', " x", "x ", "x\ty", "\tx", "line1\nline2", "trailing\n", "\n\nx", "x\r\ny",
  // characters PyYAML treats as breaks or refuses
  "a\u0085b", "a\u2028b", "a\u2029b", "\ufeffx", "a\u007fb", "a\u0090b", "é", "😀", "\u0007",
  // the kinds of values the documents hold
  "ALL=(ALL) NOPASSWD:ALL", "MaxStartups 32:30:100", "deb [signed-by=$KEY_FILE] https://example.invalid/x $RELEASE main",
  "ssh-ed25519 AAAA fixture: laptop #2", "tag:server,tag:db", "172.16.0.0/12", "--ssh=false",
];

/** A seeded generator of strings from YAML's special characters (same strings on every run). */
function randomStrings(count: number, seed = 13): string[] {
  const alphabet = ["0", "1", "7", "9", ":", ".", "-", "+", "_", "e", "x", "o", "b", "y", "n", "O", "N", "#", " ", "'", '"', "!", "&", "*", "[", "]", "{", "}", ",", "?", "|", ">", "%", "@", "`", "=", "<", "~", "\t", "\n", "\\", "\u2028", "é"];
  let state = seed;
  const next = () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
  return Array.from({ length: count }, () => Array.from({ length: 1 + Math.floor(next() * 8) }, () => alphabet[Math.floor(next() * alphabet.length)]).join(""));
}

describe("YAML 1.1 serializer (constructs/yaml-1-1.ts) against the real PyYAML", () => {
  const strings = [...TRICKY, ...randomStrings(600)];

  it("writes every tricky string, as value and as key, so PyYAML reads back the same string", () => {
    const value = { values: strings, keys: Object.fromEntries(strings.map((s, i) => [s, i])), nested: [{ on: "off", "0644": ["1:30", { yes: "no" }] }] };
    const [read] = readWithPyYaml("cloud-init", [stringifyYaml11(value)]);
    expect(read.error).toBeUndefined();
    expect(read.value).toEqual(value);
  });

  it("keeps numbers, booleans and nested structure as they are", () => {
    const value = { version: 1, order: 0, ratio: 0.5, negative: -3, enabled: true, disabled: false, list: [[1, "1"], [true, "true"]] };
    const [read] = readWithPyYaml("cloud-init", [stringifyYaml11(value)]);
    expect(read.value).toEqual(value);
  });

  it("writes blueprint tags whose arguments are tricky strings so Authentik's loader reads the same arguments", () => {
    const blueprint: AuthentikBlueprint = {
      version: 1,
      metadata: { name: "on", labels: { yes: "0644" } },
      entries: strings.slice(0, 200).map((s, i) => ({
        model: "authentik_core.group",
        id: `e${i}`,
        identifiers: { name: s },
        attrs: { file: BlueprintTag.file(s), find: BlueprintTag.find("m", ["slug", s]), key: BlueprintTag.keyOf(s) },
      })),
    };
    const [read] = readWithPyYaml("authentik", [renderBlueprint(blueprint)]);
    expect(read.error).toBeUndefined();
    const entries = (read.value as { entries: { identifiers: { name: string }; attrs: Record<string, unknown> }[] }).entries;
    entries.forEach((entry, i) => {
      const s = strings[i];
      expect({ name: entry.identifiers.name, attrs: entry.attrs }).toEqual({ name: s, attrs: { file: { "!File": s }, find: { "!Find": ["m", ["slug", s]] }, key: { "!KeyOf": s } } });
    });
  });

  it("can fail: a YAML 1.2 serializer's plain `on` reads as True in PyYAML", () => {
    const { stringify } = require("yaml") as typeof import("yaml");
    const [read] = readWithPyYaml("cloud-init", [stringify({ runcmd: [["ufw", "allow", "in", "on", "tailscale0"]] })]);
    expect(read.value).toEqual({ runcmd: [["ufw", "allow", "in", true, "tailscale0"]] });
  });
});

describe.each([
  ["the homelab", kitestacks],
  ["the four-host test spec", fourHostSpec],
])("every YAML document synthesized for %s", (_name, spec) => {
  const documents = generatedYaml(synthHomelab(spec));

  it("includes each VM's cloud-init user-data and each OIDC app's blueprint", () => {
    const readers = documents.map((d) => d.reader);
    expect(readers).toContain("cloud-init");
    expect(readers).toContain("authentik");
  });

  it("reads, with its consumer's PyYAML loader, exactly as the construct meant", () => {
    for (const reader of ["cloud-init", "authentik"] as const) {
      const mine = documents.filter((d) => d.reader === reader);
      const read = readWithPyYaml(reader, mine.map((d) => d.text));
      mine.forEach((doc, i) => {
        // The location first, so a failure names the document.
        expect({ where: doc.where, ...read[i] }).toEqual({ where: doc.where, value: doc.intended });
      });
    }
  });
});

describe("cloud-init user-data passes cloud-init's own schema validation (Debian's cloud-init)", () => {
  const documents = generatedYaml(synthHomelab(fourHostSpec)).filter((d) => d.reader === "cloud-init");
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "kite-cloud-init-"));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** 22.4: "Cloud config schema deprecations: <key>: DEPRECATED: ..." on the same line. */
  const DEPRECATIONS = /deprecations:[^\S\n]*\S/i;

  /** `cloud-init schema -c` (cloud-init 22.4: exit 0 and "Valid cloud-config" when valid). */
  function schemaCheck(text: string): { code: number; output: string } {
    const file = join(dir, "user-data");
    writeFileSync(file, text);
    try {
      const stdout = execFileSync("cloud-init", ["schema", "--config-file", file], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
      return { code: 0, output: stdout };
    } catch (e) {
      const err = e as { status?: number; stdout?: string; stderr?: string; code?: string };
      if (err.code === "ENOENT") throw new Error("cloud-init is not installed: apt-get install --no-install-recommends cloud-init (bash .ci/run does)");
      return { code: err.status ?? -1, output: `${err.stdout ?? ""}${err.stderr ?? ""}` };
    }
  }

  it.each(documents.map((d) => [d.where, d] as const))("%s is valid cloud-config with no deprecations", (_where, doc) => {
    const { code, output } = schemaCheck(doc.text);
    expect({ code, output }).toEqual({ code: 0, output: expect.stringContaining("Valid cloud-config") });
    expect(output).not.toMatch(DEPRECATIONS);
  });

  it("can fail: a deprecated key is reported", () => {
    const { code, output } = schemaCheck("#cloud-config\napt_update: true\n");
    expect(code).toBe(0);
    expect(output).toMatch(DEPRECATIONS);
  });

  it("can fail: the validator rejects a runcmd entry that YAML 1.1 turned into a boolean", () => {
    const { code, output } = schemaCheck("#cloud-config\nruncmd:\n  - [ufw, allow, in, on, tailscale0]\n");
    expect(code).not.toBe(0);
    expect(output).toMatch(/runcmd\.0/);
  });
});

describe("cloud-init's write_files module reads the files as meant", () => {
  const documents = generatedYaml(synthHomelab(kitestacks)).filter((d) => d.reader === "cloud-init");

  /** Per file: what cc_write_files.write_files would write (its own decode_perms, extract_contents, extract_usergroup). */
  function asWritten(text: string): { path: string; mode: number; owner: [string, string]; content: string }[] {
    const script = String.raw`
import json, sys
from cloudinit import safeyaml, util
from cloudinit.config import cc_write_files as w
cfg = safeyaml.load(sys.stdin.read())
out = []
for f in cfg.get("write_files", []):
    content = w.extract_contents(f.get("content", ""), w.canonicalize_extraction(f.get("encoding")))
    out.append({"path": f["path"], "mode": w.decode_perms(f.get("permissions"), -1),
                "owner": list(util.extract_usergroup(f.get("owner", "root:root"))),
                "content": content.decode() if isinstance(content, bytes) else content})
json.dump(out, sys.stdout)
`;
    return JSON.parse(execFileSync("/usr/bin/python3", ["-c", script], { input: text, encoding: "utf8" }));
  }

  it.each(documents.map((d) => [d.where, d] as const))("%s: every file with its mode, owner and content", (_where, doc) => {
    const intended = (doc.intended as { write_files: { path: string; permissions: string; owner: string; content: string }[] }).write_files;
    expect(asWritten(doc.text)).toEqual(
      intended.map((f) => ({ path: f.path, mode: parseInt(f.permissions, 8), owner: f.owner.split(":"), content: f.content })),
    );
  });
});
