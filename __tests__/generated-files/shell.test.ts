import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { kitestacks } from "../../homelab/homelab";
import { cloudInitScripts, dockerfileShell, renderTerraformTemplate, shellSnippets, shellSnippetsOfStack, ShellSnippet, TemplateProblem } from "../helpers/shell";
import { synthHomelab } from "../helpers/synth";
import { renderVariables } from "./yaml-documents";

/**
 * Every shell command in the synthesized stacks passes shellcheck (Debian's package) for its
 * dialect and the `-n` parse of the shells that run it (dash and busybox for sh). Severity
 * "style": everything shellcheck reports.
 */
const SEVERITY = "style";

interface Finding {
  readonly where: string;
  readonly tool: string;
  readonly message: string;
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "kite-shell-"));
});
afterAll(() => dir && rmSync(dir, { recursive: true, force: true }));

/** Runs shellcheck (one process per dialect) and `<shell> -n` on every snippet; returns every finding. */
function check(snippets: readonly ShellSnippet[]): Finding[] {
  const findings: Finding[] = [];
  const files = snippets.map((s, i) => {
    if (s.file) return s.file;
    const file = join(dir, `snippet-${i}.${s.dialect}`);
    writeFileSync(file, s.text);
    return file;
  });
  for (const dialect of ["sh", "bash"] as const) {
    const mine = snippets.map((s, i) => ({ s, file: files[i] })).filter(({ s }) => s.dialect === dialect);
    if (mine.length === 0) continue;
    const sc = spawnSync("shellcheck", ["-x", "-s", dialect, "-S", SEVERITY, "-f", "json1", ...mine.map((m) => m.file)], { encoding: "utf8" });
    if (sc.error) throw new Error(`shellcheck is not installed: apt-get install shellcheck (bash .ci/run does). ${sc.error.message}`);
    if (sc.status !== 0 && sc.status !== 1) throw new Error(`shellcheck failed (exit ${sc.status}): ${sc.stderr}`);
    for (const c of (JSON.parse(sc.stdout) as { comments: { file: string; line: number; code: number; level: string; message: string }[] }).comments) {
      // A file it followed (`. ./lib.sh`) that is not a snippet of its own is named by its path.
      const s = mine.find((m) => m.file === c.file)?.s ?? { where: c.file, text: "" };
      const line = s.text.split("\n")[c.line - 1] ?? "";
      findings.push({ where: s.where, tool: `shellcheck -s ${dialect}`, message: `line ${c.line} SC${c.code} (${c.level}): ${c.message}\n    ${line}` });
    }
    // The shells that run them: dash (Debian images, the deployer's /bin/sh) and busybox ash
    // (Alpine images: Forgejo, linuxserver's BookStack, curlimages/curl), or bash.
    const parsers = dialect === "sh" ? [["sh"], ["busybox", "sh"]] : [["bash"]];
    for (const { s, file } of mine) {
      for (const parser of parsers) {
        const parse = spawnSync(parser[0], [...parser.slice(1), "-n", file], { encoding: "utf8" });
        if (parse.error) throw new Error(`${parser.join(" ")} is not installed (bash .ci/run installs busybox-static): ${parse.error.message}`);
        if (parse.status !== 0) findings.push({ where: s.where, tool: `${parser.join(" ")} -n`, message: parse.stderr.trim() });
      }
    }
  }
  return findings;
}

describe("shell in the synthesized stacks", () => {
  const homelab = synthHomelab(kitestacks);
  const found = shellSnippets(homelab);
  const cloudInit = cloudInitScripts(found.userData.map((u) => ({ where: u.where, text: renderVariables(u.text, u.where) })));
  const all = [...found.snippets, ...cloudInit];

  it("is found in the stacks: step scripts, commands or scripts in containers, healthchecks, cloud-init", () => {
    expect(found.snippets.filter((s) => /local-exec\.environment\./.test(s.where)).length).toBeGreaterThan(0);
    expect(found.snippets.filter((s) => / docker_container\./.test(s.where)).length).toBeGreaterThan(0);
    expect(cloudInit.filter((s) => /runcmd \(as cloud-init writes it\)$/.test(s.where))).toHaveLength(found.userData.length);
    // bootcmd's `[sh, -c, ...]`: the inner script, not only the quoted word cloud-init writes.
    expect(cloudInit.filter((s) => /user_data bootcmd\[0\]\[2\]$/.test(s.where))).toHaveLength(found.userData.length);
  });

  it(`passes shellcheck (severity ${SEVERITY}) and the shell's -n parse, every snippet`, () => {
    const findings = check(all);
    // All at once, each with where it came from.
    expect(findings.map((f) => `${f.where}\n  ${f.tool}: ${f.message}`)).toEqual([]);
  });
});

describe("the walk over cdk.tf.json", () => {
  it("finds shell in each place a shell runs it, with its dialect, and nothing else", () => {
    const json = {
      resource: {
        null_resource: {
          step: {
            provisioner: [
              { "local-exec": { command: 'docker exec ${docker_container.app.name} sh -c "$KITE_STEP_SCRIPT"', interpreter: ["/bin/sh", "-c"], environment: { KITE_STEP_SCRIPT: "echo step", OTHER: "x" } } },
              { "local-exec": { command: "print('not shell')", interpreter: ["python3", "-c"] } },
            ],
          },
        },
        docker_container: {
          a: { command: ["sh", "-c", "echo a"], healthcheck: { test: ["CMD-SHELL", "true"] } },
          b: { entrypoint: ["/bin/bash", "-c"], command: ["echo b"], healthcheck: { test: ["CMD", "true"] } },
          c: {
            command: ["sh", "/job/run"],
            upload: [
              { file: "/job/run", content: "echo c\n" },
              { file: "/job/helper.sh", content: "echo helper\n" },
              { file: "/job/tool", content: "#!/bin/bash\necho tool\n" },
              { file: "/etc/app.conf", content: "key = value\n" },
            ],
          },
          d: { command: ["server", "--flag"], env: ["A=1"] },
        },
        hcloud_server: { vm: { user_data: "#cloud-config\n" } },
      },
    };
    const found = shellSnippetsOfStack("fixture", json);
    expect(found.snippets.map((s) => [s.where, s.dialect, s.text]).sort()).toEqual(
      [
        ["fixture: null_resource.step provisioner[0].local-exec.command", "sh", 'docker exec TF_VALUE sh -c "$KITE_STEP_SCRIPT"'],
        ["fixture: null_resource.step provisioner[0].local-exec.environment.KITE_STEP_SCRIPT", "sh", "echo step"],
        ["fixture: docker_container.a command[2]", "sh", "echo a"],
        ["fixture: docker_container.a healthcheck.test[1]", "sh", "true"],
        ["fixture: docker_container.b command[0]", "bash", "echo b"],
        ["fixture: docker_container.c upload[0] /job/run", "sh", "echo c\n"],
        ["fixture: docker_container.c upload[1] /job/helper.sh", "sh", "echo helper\n"],
        ["fixture: docker_container.c upload[2] /job/tool", "bash", "#!/bin/bash\necho tool\n"],
      ].sort(),
    );
    expect(found.userData).toEqual([{ where: "fixture: hcloud_server.vm user_data", text: "#cloud-config\n" }]);
  });
});

describe("Dockerfile shell-form instructions", () => {
  it("are RUN, CMD, ENTRYPOINT and HEALTHCHECK CMD not in exec form, continuation lines joined", () => {
    const dockerfile = [
      "FROM alpine:3.22",
      "# RUN not-an-instruction",
      "RUN --mount=type=cache,target=/var/cache/apk apk add \\",
      "    # a comment inside the instruction",
      "    sqlite",
      'RUN ["apk", "add", "curl"]',
      "HEALTHCHECK --interval=30s CMD wget -qO- http://127.0.0.1/ || exit 1",
      "HEALTHCHECK NONE",
      'CMD ["/entrypoint.sh"]',
      "ENTRYPOINT exec /entrypoint.sh",
    ].join("\n");
    expect(dockerfileShell(dockerfile, "Dockerfile").map((s) => [s.where, s.text])).toEqual([
      ["Dockerfile:3 RUN", "apk add     sqlite\n"],
      ["Dockerfile:7 HEALTHCHECK", "wget -qO- http://127.0.0.1/ || exit 1\n"],
      ["Dockerfile:10 ENTRYPOINT", "exec /entrypoint.sh\n"],
    ]);
  });
});

describe("the checks can fail", () => {
  it("report a parse error, a shellcheck warning, and a bash-only construct in sh", () => {
    const findings = check([
      { where: "broken", dialect: "sh", text: "if [ -f x ]; then echo x\n" },
      { where: "unquoted", dialect: "sh", text: "rm -rf $DIR/*\n" },
      { where: "bashism", dialect: "sh", text: "[[ -n $HOME ]] && echo ok\n" },
    ]);
    expect(findings.filter((f) => f.where === "broken").map((f) => f.tool)).toEqual(expect.arrayContaining(["sh -n", "busybox sh -n"]));
    expect(findings.some((f) => f.where === "unquoted" && /SC2115|SC2086/.test(f.message))).toBe(true);
    expect(findings.some((f) => f.where === "bashism" && /SC3010/.test(f.message))).toBe(true);
  });

  it("refuses a shell ${VAR} that Terraform would interpolate, and keeps $${VAR} as the literal", () => {
    expect(() => renderTerraformTemplate('echo "${HOME}"', "step")).toThrow(TemplateProblem);
    expect(renderTerraformTemplate('echo "$${HOME}" ${docker_container.x.name}', "step")).toBe('echo "${HOME}" TF_VALUE');
  });
});
