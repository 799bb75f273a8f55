import { BackupSettings, DockerNetworkSpec, SharedPostgresSpec } from "./types";

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
/** The forwarders' nginx: the same image the portal builds on (portal/Dockerfile). */
export const forwarderImage = "nginxinc/nginx-unprivileged:1.30.4-alpine";
export const mariadbImage = "mariadb:11.4.8";
/**
 * Pinned helper image for post-start steps that call an app's HTTP API and edit JSON (Kavita,
 * Portainer): LinuxServer's Alpine base ships sh, curl and jq (linuxserver/docker-baseimage-alpine
 * 3.22-0e27f78e-ls12 Dockerfile). curlimages/curl has no jq, Kavita's image has curl but no jq,
 * and Portainer's has no shell at all.
 */
export const jsonStepImage = "ghcr.io/linuxserver/baseimage-alpine:3.22-0e27f78e-ls12";

export const dockerNetwork: DockerNetworkSpec = { name: "kitestacks", subnet: "172.30.0.0/24", gateway: "172.30.0.1" };

export const sharedPostgres: SharedPostgresSpec = {
  host: "kscloud1",
  image: "postgres:16.11-bookworm",
  containerName: "authentik-postgres",
  memoryMb: 1024,
};

/**
 * Backups: every volume and database of every host, nightly, to the off-host restic repository;
 * a restore drill every Sunday (docs/backups.md).
 */
export const backup: BackupSettings = {
  schedule: "15 3 * * *",
  drillSchedule: "45 4 * * 0",
  retention: { daily: 7, weekly: 4, monthly: 6 },
  repositoryPath: "kitestacks",
  image: { build: "backup/image" },
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
