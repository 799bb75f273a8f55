import { DockerNetworkSpec, SharedPostgresSpec } from "./types";

/**
 * Settings every host and service shares: the domain, the admin group, the shared Postgres, the
 * Docker network, pinned infrastructure images, and the small helpers service entries use.
 *
 * Source: the owner's architecture decisions (../shared/seed/architecture-decisions.md) and
 * ../shared/reference/homelab.md. Image tags are pinned; renovate.json keeps them current.
 */

export const domain = "kitestacks.com";
export const adminGroup = "homelab-admin";
export const tunnelName = "kitestacks";

/** Pinned infrastructure images. */
export const cloudflaredImage = "cloudflare/cloudflared:2025.11.1";
export const mariadbImage = "mariadb:11.4.8";
/** Pinned curl image for API steps against apps whose image has no shell (Portainer). */
export const curlImage = "curlimages/curl:8.17.0";

export const dockerNetwork: DockerNetworkSpec = { name: "kitestacks", subnet: "172.30.0.0/24", gateway: "172.30.0.1" };

export const sharedPostgres: SharedPostgresSpec = {
  host: "kscloud1",
  image: "postgres:16.11-bookworm",
  containerName: "authentik-postgres",
  memoryMb: 1024,
};

/** `<label>.<domain>` hostnames, so the domain is written once. */
export const at = (label: string): string => `${label}.${domain}`;

/** The metrics API's port, shared by its container and the portal's proxy. */
export const metricsPort = 8000;

/** The homelab admin's email: Authentik's first admin and OSTicket's admin. */
export const adminEmail = {
  name: "admin_email",
  source: "variable",
  description: "Email of the homelab admin (Authentik akadmin, OSTicket admin)",
} as const;

/** SMTP credentials a person supplies (a Gmail app password in the owner's setup). */
export const smtpSecrets = [
  { name: "smtp_host", source: "variable", description: "SMTP server, e.g. smtp.gmail.com" },
  { name: "smtp_username", source: "variable", description: "SMTP login and sender address" },
  { name: "smtp_password", source: "variable", description: "SMTP password (a Gmail app password)" },
] as const;

/**
 * Shell function for post-start steps: `wait_for <url> <tries> <seconds>` polls until the URL
 * answers 2xx, or fails the step.
 */
export const waitFor = `wait_for() {
  n=0
  until curl -fsS -o /dev/null "$1"; do
    n=$((n + 1))
    if [ "$n" -ge "$2" ]; then echo "gave up waiting for $1" >&2; return 1; fi
    sleep "$3"
  done
}`;
