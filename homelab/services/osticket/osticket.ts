import { ServiceSpec } from "../../types";
import { at, adminEmail, smtpSecrets } from "../../settings";

export const osticket: ServiceSpec = {
  name: "osticket",
  title: "Help Desk",
  description: "OSTicket: tickets and tasks, with email",
  icon: "🎫",
  // osTicket has no official image, and Docker Hub's osticket/osticket (pi0/osticket-docker) has
  // no 1.18.1 tag and git-clones osTicket at container start. This one installs the v1.18.1
  // release (PPCM/docker-osticket osticket-server/Dockerfile OSTICKET_VERSION); see
  // docs/upstream-audit.md.
  image: { ref: "ppcm/osticket-server:1.18.1-4" },
  port: 80,
  hostnames: [at("tasks")],
  placement: {
    mode: "homed",
    home: "kscloud1",
    reason: "MySQL/MariaDB only, with sessions and CSRF tokens in it: one copy; tickets arrive by email at any hour, so the always-on host",
    tailnetPort: 8085,
  },
  state: "per-host",
  stateNote: "Tickets, staff sessions and CSRF tokens in its MariaDB on its home host",
  sso: { mode: "none" },
  databases: [{ engine: "mariadb", name: "osticket", user: "osticket" }],
  // The image declares both (osticket-server/Dockerfile VOLUME): ost-config.php and the secret
  // in /config, file storage in /data.
  volumes: [
    { name: "config", mountPath: "/config" },
    { name: "data", mountPath: "/data" },
  ],
  // Root runs the installer over apache's tree (PPCM/docker-osticket 1.18.1-4 osticket-server/
  // Dockerfile `chown -R apache:apache /var/www/osticket /config /data`; root/root/
  // start_osticket-server.sh: install.php writes /config and chown/chmods the msmtp file, `rm -r`
  // the setup dir): CHOWN, DAC_OVERRIDE, FOWNER; then httpd as root binds 80 (root/etc/apache2/
  // httpd.conf `Listen 80`: NET_BIND_SERVICE), runs children as apache (`User apache`: SETUID,
  // SETGID) and signals them (KILL).
  capabilities: { add: ["CHOWN", "DAC_OVERRIDE", "FOWNER", "KILL", "NET_BIND_SERVICE", "SETGID", "SETUID"] },
  secrets: [
    { name: "install_secret", source: "generated", length: 32 },
    { name: "admin_password", source: "generated", length: 24 },
    adminEmail,
    ...smtpSecrets,
  ],
  env: (ctx) => {
    const db = ctx.database("osticket");
    // Names read by the image's installer (PPCM/docker-osticket osticket-server/install.php),
    // which connects to port 3306 whatever MYSQL_PORT says.
    return {
      MYSQL_HOST: db.host,
      MYSQL_DATABASE: db.name,
      MYSQL_USER: db.user,
      MYSQL_PASSWORD: db.password,
      INSTALL_SECRET: ctx.secret("install_secret"),
      INSTALL_URL: ctx.publicUrl ?? "",
      INSTALL_EMAIL: ctx.secret("smtp_username"),
      ADMIN_USERNAME: "ostadmin",
      ADMIN_EMAIL: ctx.secret("admin_email"),
      ADMIN_PASSWORD: ctx.secret("admin_password"),
      // msmtp fallback for PHP mail(); its SMTP_PASSWORD is never written (install.php reads
      // smtp_password, writes smtp_pass), so set SMTP per email account in the admin panel.
      SMTP_HOSTNAME: ctx.secret("smtp_host"),
      SMTP_PORT: "587",
      SMTP_TLS: "1",
      SMTP_USER: ctx.secret("smtp_username"),
      SMTP_FROM: ctx.secret("smtp_username"),
      SMTP_PASSWORD: ctx.secret("smtp_password"),
    };
  },
  healthcheck: { test: ["CMD", "wget", "-qO-", "http://127.0.0.1:80/"], startPeriod: "120s" },
  memoryMb: 256,
};
