import { spawnSync } from "node:child_process";
import { chmodSync, chownSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { HomelabSpec } from "../../homelab/types";
import { goodSpec } from "../fixtures/specs";
import { resourcesOf, synthHomelab } from "../helpers/synth";

/**
 * The shared Postgres's provisioning step against a real Postgres (Debian's postgresql
 * package): the synthesized local-exec command runs as Terraform would run it, with a `docker`
 * shim that turns `docker exec [-i] [-u user] [-e NAME]... <container> cmd...` into the same
 * command run locally as that user with exactly those variables copied from its own env (what
 * the docker CLI does with `-e NAME`; docker-engine.test.ts checks that part against dockerd).
 */
const pgBin = (() => {
  const r = spawnSync("sh", ["-c", "ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1"], { encoding: "utf8" });
  return r.stdout.trim();
})();

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });

describe("shared Postgres provisioning against a real Postgres", () => {
  let dir: string;
  let started = false;
  let port: number;
  let sock: string;

  beforeAll(async () => {
    expect(pgBin).toMatch(/\/usr\/lib\/postgresql\/\d+\/bin/);
    port = await freePort();
    dir = mkdtempSync(join(tmpdir(), "sec-pg-"));
    chmodSync(dir, 0o755);
    sock = join(dir, "sock");
    mkdirSync(sock);
    const data = join(dir, "data");
    const uid = Number(spawnSync("id", ["-u", "postgres"], { encoding: "utf8" }).stdout.trim());
    const gid = Number(spawnSync("id", ["-g", "postgres"], { encoding: "utf8" }).stdout.trim());
    chownSync(sock, uid, gid);
    chownSync(dir, uid, gid);
    // As the image does: initdb with a superuser password, local connections trusted, TCP by password.
    writeFileSync(join(dir, "pw"), `fixture-superuser-${process.pid}\n`);
    chownSync(join(dir, "pw"), uid, gid);
    const init = spawnSync("/usr/sbin/runuser", ["-u", "postgres", "--", `${pgBin}/initdb`, "-D", data, "-U", "postgres", `--pwfile=${join(dir, "pw")}`], { encoding: "utf8" });
    expect(init.status).toBe(0);
    writeFileSync(join(data, "pg_hba.conf"), "local all all trust\nhost all all 127.0.0.1/32 scram-sha-256\n");
    const start = spawnSync("/usr/sbin/runuser", ["-u", "postgres", "--", `${pgBin}/pg_ctl`, "-D", data, "-w", "-l", join(dir, "log"), "-o", `-k ${sock} -p ${port} -c listen_addresses=127.0.0.1`, "start"], { encoding: "utf8" });
    expect(start.status).toBe(0);
    started = true;
  }, 60000);

  afterAll(() => {
    if (started) spawnSync("/usr/sbin/runuser", ["-u", "postgres", "--", `${pgBin}/pg_ctl`, "-D", join(dir, "data"), "-w", "-m", "fast", "stop"]);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** A `docker` that runs `exec` locally, copying only the -e NAMEs it was given. */
  function dockerShim(): string {
    const bin = join(dir, "bin");
    mkdirSync(bin, { recursive: true });
    writeFileSync(
      join(bin, "docker"),
      `#!/bin/bash
[ "$1" = exec ] || { echo "shim: only exec" >&2; exit 2; }
shift
user=root; envs=()
while [ $# -gt 0 ]; do
  case "$1" in
    -i) shift;;
    -u) user="$2"; shift 2;;
    -e) case "$2" in *=*) echo "shim: a value on the command line: $2" >&2; exit 3;; esac
        envs+=("$2=\${!2}"); shift 2;;
    *) break;;
  esac
done
shift  # the container name
exec /usr/sbin/runuser -u "$user" -- env -i PATH="${pgBin}:/usr/bin:/bin" PGPORT="$PGPORT" "\${envs[@]}" "$@"
`,
    );
    chmodSync(join(bin, "docker"), 0o755);
    return bin;
  }

  test("creates every consumer's role and database, is idempotent, and the roles log in with their passwords", () => {
    const spec: HomelabSpec = { ...goodSpec, sharedPostgres: { ...goodSpec.sharedPostgres!, port } };
    const lab = synthHomelab(spec);
    const json = lab.json(lab.stacks.hosts.get(spec.sharedPostgres!.host)!);
    const [step] = Object.entries(resourcesOf(json, "terraform_data")).filter(([id]) => id.startsWith("shared-postgres_provisioner")).map(([, r]) => r);
    const exec = step.provisioner[0]["local-exec"];
    const consumers = spec.services.flatMap((s) => (s.databases ?? []).filter((d) => d.engine === "shared-postgres"));
    const passwords = consumers.map((_, i) => `fixture-role-${i}-${process.pid}`);
    // The environment the step gets, with Terraform's values filled in: the passwords, and the
    // socket directory the server container would have (here: the test server's).
    const env: Record<string, string> = { PATH: `${dockerShim()}:/usr/bin:/bin` };
    for (const [k, v] of Object.entries(exec.environment as Record<string, string>)) if (!v.includes("${")) env[k] = v;
    env.PGHOST = sock;
    env.PGPORT = String(port); // the server container's own env (PGPORT) in the real step
    passwords.forEach((p, i) => (env[`KITE_ROLE_PASSWORD_${i}`] = p));
    for (let run = 0; run < 2; run++) {
      // cwd: the test's own dir, which the shim's unprivileged psql can enter (a checkout may be 0700).
      const r = spawnSync(exec.interpreter[0], [exec.interpreter[1], exec.command], { env, encoding: "utf8", cwd: dir });
      expect([run, r.status, r.stderr]).toEqual([run, 0, ""]);
    }
    consumers.forEach((c, i) => {
      const login = spawnSync(`${pgBin}/psql`, ["-X", "-At", "-h", "127.0.0.1", "-p", String(port), "-U", c.user, "-d", c.name, "-c", "select current_user || ' ' || current_database()"], {
        env: { PGPASSWORD: passwords[i] },
        encoding: "utf8",
      });
      expect([c.name, login.stdout.trim()]).toEqual([c.name, `${c.user} ${c.name}`]);
      const wrong = spawnSync(`${pgBin}/psql`, ["-X", "-At", "-h", "127.0.0.1", "-p", String(port), "-U", c.user, "-d", c.name, "-c", "select 1"], { env: { PGPASSWORD: "wrong" }, encoding: "utf8" });
      expect(wrong.status).not.toBe(0);
    });
    // A rotated password takes effect on the next run.
    env.KITE_ROLE_PASSWORD_0 = "fixture-rotated";
    expect(spawnSync(exec.interpreter[0], [exec.interpreter[1], exec.command], { env, encoding: "utf8" }).status).toBe(0);
    const rotated = spawnSync(`${pgBin}/psql`, ["-X", "-At", "-h", "127.0.0.1", "-p", String(port), "-U", consumers[0].user, "-d", consumers[0].name, "-c", "select 1"], { env: { PGPASSWORD: "fixture-rotated" }, encoding: "utf8" });
    expect(rotated.stdout.trim()).toBe("1");
  }, 60000);
});
