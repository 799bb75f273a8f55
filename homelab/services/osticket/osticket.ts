import { ServiceSpec } from "../../types";
import { at, adminEmail, smtpSecrets } from "../../settings";

export const osticket: ServiceSpec = {
  name: "osticket",
  title: "Help Desk",
  description: "OSTicket: tickets and tasks, with email",
  icon: "🎫",
  image: { ref: "osticket/osticket:1.18.1" },
  port: 80,
  hostnames: [at("tasks")],
  hosts: "all",
  state: "per-host",
  stateNote: "OSTicket needs MySQL/MariaDB, so each host keeps its own tickets",
  sso: { mode: "none" },
  databases: [{ engine: "mariadb", name: "osticket", user: "osticket" }],
  secrets: [
    { name: "install_secret", source: "generated", length: 32 },
    { name: "admin_password", source: "generated", length: 24 },
    adminEmail,
    ...smtpSecrets,
  ],
  env: (ctx) => {
    const db = ctx.database("osticket");
    return {
      MYSQL_HOST: db.host,
      MYSQL_DATABASE: db.name,
      MYSQL_USER: db.user,
      MYSQL_PASSWORD: db.password,
      INSTALL_SECRET: ctx.secret("install_secret"),
      INSTALL_URL: ctx.publicUrl ?? "",
      ADMIN_EMAIL: ctx.secret("admin_email"),
      ADMIN_PASSWORD: ctx.secret("admin_password"),
      SMTP_HOST: ctx.secret("smtp_host"),
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
