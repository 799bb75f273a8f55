import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { barrelImportsIn, findBarrelImports, scannedFiles } from "./barrel-imports";

const repoRoot = resolve(__dirname, "../..");

describe("the barrel-import scanner", () => {
  it.each([
    ['import { DnsRecord } from "@cdktf/provider-cloudflare";', "@cdktf/provider-cloudflare"],
    ["import * as docker from '@cdktf/provider-docker';", "@cdktf/provider-docker"],
    ['const { resource } = require("@cdktf/provider-null");', "@cdktf/provider-null"],
    ['export * from "@cdktf/provider-random";', "@cdktf/provider-random"],
    ['const random = await import("@cdktf/provider-random");', "@cdktf/provider-random"],
    ['import { server } from "../.gen/providers/hcloud";', "../.gen/providers/hcloud"],
  ])("flags %s", (line, module) => {
    const source = `import { App } from "cdktf";\n\n${line}\n`;
    expect(findBarrelImports(source, "stacks/planted.ts")).toEqual([{ file: "stacks/planted.ts", line: 3, module, text: line }]);
  });

  it("flags the closing line of a multi-line import", () => {
    const source = 'import {\n  DnsRecord,\n  ZeroTrustTunnelCloudflared,\n} from "@cdktf/provider-cloudflare";\n';
    expect(findBarrelImports(source, "x.ts").map((b) => b.line)).toEqual([4]);
  });

  it.each([
    'import { DnsRecord } from "@cdktf/provider-cloudflare/lib/dns-record";',
    'import { Container } from "@cdktf/provider-docker/lib/container";',
    'import { Resource } from "@cdktf/provider-null/lib/resource";',
    'import { Password } from "@cdktf/provider-random/lib/password";',
    'import { Server } from "../.gen/providers/hcloud/server";',
    'import { App } from "cdktf";',
    'import { x } from "@cdktf/provider-cloudflare-extra";',
  ])("passes %s", (line) => {
    expect(findBarrelImports(line, "x.ts")).toEqual([]);
  });

  it("scans the app's folders and leaves the deliberate baseline out", () => {
    const files = scannedFiles(repoRoot);
    expect(files).toEqual(expect.arrayContaining(["main.ts", "app.ts", "homelab/homelab.ts", "stacks/state-backend.ts"]));
    expect(files.some((f) => f.startsWith("constructs/"))).toBe(true);
    expect(files.filter((f) => f.startsWith("bench/baseline/") || f.includes("node_modules/") || f.startsWith(".gen/"))).toEqual([]);
  });
});

describe("a tree with a planted violation", () => {
  it("is reported as file:line, and the baseline folder is not", () => {
    const root = mkdtempSync(join(tmpdir(), "kitestacks-lint-"));
    try {
      const plant = (rel: string, text: string) => {
        mkdirSync(join(root, rel, ".."), { recursive: true });
        writeFileSync(join(root, rel), text);
      };
      plant("stacks/edge-stack.ts", 'import { Construct } from "constructs";\nimport { dnsRecord } from "@cdktf/provider-cloudflare";\n');
      plant("constructs/ok.ts", 'import { Password } from "@cdktf/provider-random/lib/password";\n');
      plant("bench/baseline/app/stacks/edge-stack.ts", 'import { dnsRecord } from "@cdktf/provider-cloudflare";\n');
      expect(barrelImportsIn(root)).toEqual(['stacks/edge-stack.ts:2: import { dnsRecord } from "@cdktf/provider-cloudflare";']);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe("the repo", () => {
  it("imports no provider package through its barrel", () => {
    expect(barrelImportsIn(repoRoot)).toEqual([]);
  });
});
