import { spawn, spawnSync, SpawnSyncReturns, ChildProcess } from "node:child_process";
import { chownSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { repoRoot } from "../helpers/synth";
import { stepScript } from "../../homelab/scripts";
import { adminGroup } from "../../homelab/settings";

/**
 * BookStack's "Admin role mapped to the homelab admin group" step (homelab/services/bookstack/
 * admin-role.sh) against a real MariaDB with BookStack's roles table: it waits for the table's
 * admin row, sets external_auth_id, is idempotent, and refuses a group name that is not safe SQL.
 */

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, "127.0.0.1", () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
    srv.on("error", reject);
  });
}

const script = stepScript(join(repoRoot, "homelab/services/bookstack"), "admin-role.sh");

describe("BookStack admin role step against a real MariaDB", () => {
  const dir = mkdtempSync(join(tmpdir(), "aud-maria-"));
  const socket = join(dir, "sock");
  let port = 0;
  let server: ChildProcess;
  const db = { DB_HOST: "127.0.0.1", DB_DATABASE: "bookstack", DB_USERNAME: "bookstack", DB_PASSWORD: "b-Pw-1" };
  const run = (cmd: string, args: string[], env: NodeJS.ProcessEnv = {}, input?: string): SpawnSyncReturns<string> =>
    spawnSync(cmd, args, { encoding: "utf8", timeout: 120_000, input, env: { PATH: process.env.PATH!, ...env } });
  const root = (sql: string) => run("mariadb", ["--no-defaults", "-S", socket, "-u", "root", "-N", "-B", "-e", sql]);
  const step = (group: string) => run("sh", ["-c", script], { ...db, DB_PORT: String(port), OIDC_ADMIN_GROUP: group });

  beforeAll(async () => {
    port = await freePort();
    if (process.getuid?.() === 0) chownSync(dir, 65534, 65534);
    const user = process.getuid?.() === 0 ? ["--user=nobody"] : [];
    const install = run("mariadb-install-db", ["--no-defaults", ...user, `--datadir=${join(dir, "data")}`, "--auth-root-authentication-method=socket", "--skip-test-db"]);
    expect({ status: install.status, err: install.status === 0 ? "" : install.stderr }).toEqual({ status: 0, err: "" });
    server = spawn("mariadbd", ["--no-defaults", ...user, `--datadir=${join(dir, "data")}`, `--socket=${socket}`, `--port=${port}`, "--bind-address=127.0.0.1", `--pid-file=${join(dir, "pid")}`, "--skip-log-bin"], { stdio: "ignore" });
    // Up to three minutes: a loaded CI machine starts mariadbd slowly.
    for (let i = 0; i < 1800 && root("SELECT 1").status !== 0; i++) await new Promise((r) => setTimeout(r, 100));
    // BookStack's roles table, as its migrations create it (the columns the step and the sync read).
    const setup = root(`
      CREATE DATABASE bookstack;
      CREATE USER 'bookstack'@'%' IDENTIFIED BY '${db.DB_PASSWORD}';
      GRANT ALL ON bookstack.* TO 'bookstack'@'%';
      CREATE TABLE bookstack.roles (id INT AUTO_INCREMENT PRIMARY KEY, display_name VARCHAR(180) NOT NULL,
        description VARCHAR(180) NOT NULL DEFAULT '', system_name VARCHAR(191) NOT NULL DEFAULT '',
        external_auth_id VARCHAR(180) NOT NULL DEFAULT '', mfa_enforced TINYINT(1) NOT NULL DEFAULT 0);
      INSERT INTO bookstack.roles (display_name, system_name) VALUES ('Editor', ''), ('Viewer', '');`);
    expect({ status: setup.status, err: setup.stderr }).toEqual({ status: 0, err: "" });
  }, 240_000); // a loaded machine: mariadb-install-db and the first start can take minutes

  afterAll(async () => {
    // Wait for mariadbd to exit (it writes into its datadir until then), at most 60 s.
    if (server && server.exitCode === null && server.signalCode === null) {
      const exited = new Promise((r) => server!.once("exit", r));
      server.kill("SIGTERM");
      await Promise.race([exited, new Promise((r) => setTimeout(r, 60_000))]);
    }
    rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
  }, 90_000);

  test("waits for the admin role to exist, then maps it to the group; running again changes nothing", async () => {
    // The admin row appears while the step is waiting, as BookStack's first migration makes it.
    const waiting = spawn("sh", ["-c", script], { env: { PATH: process.env.PATH!, ...db, DB_PORT: String(port), OIDC_ADMIN_GROUP: adminGroup } });
    let stderr = "";
    waiting.stderr.on("data", (c) => (stderr += c));
    await new Promise((r) => setTimeout(r, 1500));
    expect(root("INSERT INTO bookstack.roles (display_name, system_name) VALUES ('Admin', 'admin')").status).toBe(0);
    const status = await new Promise<number | null>((resolve) => waiting.on("exit", resolve));
    expect({ status, stderr }).toEqual({ status: 0, stderr: "" });
    const mapped = () => root("SELECT display_name, external_auth_id FROM bookstack.roles ORDER BY id").stdout.trim().split("\n");
    expect(mapped()).toEqual(["Editor\t", "Viewer\t", `Admin\t${adminGroup}`]);
    expect(step(adminGroup).status).toBe(0);
    expect(mapped()).toEqual(["Editor\t", "Viewer\t", `Admin\t${adminGroup}`]);
  }, 120_000);

  test("refuses a group name that is not lowercase letters, digits and dashes", () => {
    const r = step("admins'; DROP TABLE roles; --");
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("OIDC_ADMIN_GROUP must be lowercase letters, digits and dashes");
    expect(root("SELECT COUNT(*) FROM bookstack.roles").stdout.trim()).toBe("3");
  });
});
