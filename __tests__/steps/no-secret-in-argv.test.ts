import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { resourcesOf, synthHomelab } from "../helpers/synth";
import { SECRET_NAME } from "../sso/helpers";

/**
 * Every post-start step that runs in the curl+jq sidecar (Kavita, Portainer), as synthesized:
 * its script and env, run by sh with `curl` replaced by a stub that answers like the app and
 * `jq` wrapped, both recording their argv. A process's argv is readable in /proc by every user
 * of the host, so no secret value may appear in any of them; the secrets must still reach the
 * app, in the request bodies (files curl reads with --data @file).
 */
const lab = synthHomelab();
const steps = [...lab.stacks.hosts.values()].flatMap((stack) =>
  Object.entries(resourcesOf(lab.json(stack), "terraform_data"))
    .map(([id, r]) => ({ id: `${stack.node.id}/${id}`, exec: r.provisioner?.[0]?.["local-exec"] }))
    .filter(({ exec }) => exec && / --entrypoint \/bin\/sh /.test(exec.command)),
);

const CURL_STUB = `#!/bin/sh
# Records argv, answers like Kavita/Portainer, keeps each --data @file body.
printf '%s\\n' "$*" >> "$ARGV_LOG"
out=""; data=""; url=""; get=""
while [ $# -gt 0 ]; do
  case "$1" in
    -o) out=$2; shift 2 ;;
    --data) data=$2; shift 2 ;;
    -H|-X|-F|--data-urlencode) shift 2 ;;
    -G) get=1; shift ;;
    -*) shift ;;
    *) url=$1; shift ;;
  esac
done
case "$data" in @*) cp "\${data#@}" "$BODIES/$(date +%s%N).json" ;; esac
case "$url" in
  */api/auth) body='{"jwt":"fixture-jwt"}' ;;
  */api/account/login) body='{"token":"fixture-token"}' ;;
  */api/settings) if [ -z "$data" ]; then body='{"oidcConfig":{}}'; else body='{}'; fi ;;
  */api/endpoints) if [ -n "$get" ]; then body='[]'; else body='{}'; fi ;;
  *) body='{}' ;;
esac
if [ -n "$out" ]; then printf '%s' "$body" > "$out"; else printf '%s' "$body"; fi
`;

describe("sidecar steps keep secrets out of every command line", () => {
  const dir = mkdtempSync(join(tmpdir(), "kss2-argv-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test("there are such steps: Kavita's and Portainer's two", () => {
    expect(steps.length).toBeGreaterThanOrEqual(3);
  });

  test.each(steps.map((s) => [s.id, s]))("%s", (_id, step) => {
    const work = mkdtempSync(join(dir, "step-"));
    const bin = join(work, "bin");
    const bodies = join(work, "bodies");
    mkdirSync(bin);
    mkdirSync(bodies);
    writeFileSync(join(bin, "curl"), CURL_STUB);
    writeFileSync(join(bin, "jq"), `#!/bin/sh\nprintf '%s\\n' "$*" >> "$ARGV_LOG"\nexec /usr/bin/jq "$@"\n`);
    writeFileSync(join(bin, "sleep"), "#!/bin/sh\n");
    for (const f of ["curl", "jq", "sleep"]) chmodSync(join(bin, f), 0o755);
    // Terraform references get fixture values: secrets a distinct marker each, addresses one.
    const env: Record<string, string> = {};
    const secrets: string[] = [];
    for (const [name, value] of Object.entries(step.exec.environment as Record<string, string>)) {
      if (name === "DOCKER_HOST" || name === "KITE_STEP_SCRIPT") continue;
      if (/\$\{/.test(value)) {
        env[name] = SECRET_NAME.test(name) ? `fixture-${name.toLowerCase()}-${process.pid}` : name.startsWith("AGENT_ADDRESS_") ? "100.64.0.2" : `https://fixture.test/${name}`;
        if (SECRET_NAME.test(name)) secrets.push(env[name]);
      } else {
        env[name] = value;
      }
    }
    expect(secrets.length).toBeGreaterThan(0);
    const argvLog = join(work, "argv.log");
    const r = spawnSync("sh", ["-c", step.exec.environment.KITE_STEP_SCRIPT], {
      encoding: "utf8",
      timeout: 60_000,
      env: { PATH: `${bin}:/usr/bin:/bin`, ARGV_LOG: argvLog, BODIES: bodies, ...env },
    });
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: "" });
    const argv = readFileSync(argvLog, "utf8");
    for (const s of secrets) expect([s, argv.includes(s)]).toEqual([s, false]);
    const sent = readdirSync(bodies).map((f) => readFileSync(join(bodies, f), "utf8")).join("\n");
    for (const s of secrets) expect([s, sent.includes(s)]).toEqual([s, true]);
  });
});
