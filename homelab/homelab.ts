import { hosts } from "./hosts";
import { portal } from "./services/portal/portal";
import { metrics } from "./services/metrics/metrics";
import { authentik } from "./services/authentik/authentik";
import { forgejo } from "./services/forgejo/forgejo";
import { bookstack } from "./services/bookstack/bookstack";
import { osticket } from "./services/osticket/osticket";
import { grafana } from "./services/grafana/grafana";
import { kavita } from "./services/kavita/kavita";
import { karakeep } from "./services/karakeep/karakeep";
import { openWebui } from "./services/open-webui/open-webui";
import { portainer } from "./services/portainer/portainer";
import { adminGroup, backup, cloudflaredImage, dockerNetwork, domain, forwarderImage, mariadbImage, sharedPostgres, tunnelName } from "./settings";
import { HomelabSpec } from "./types";

/**
 * The KiteStacks homelab: every host (hosts.ts), every service (services/<name>/<name>.ts, one
 * folder each with its scripts and notes) and the shared settings (settings.ts). This is the only
 * place a service is declared; stacks, tunnel routes, DNS, SSO, portal cards and docs derive from it.
 * The order of `services` is the order of the portal and the docs.
 */
export const kitestacks: HomelabSpec = {
  domain,
  adminGroup,
  tunnelName,
  cloudflaredImage,
  forwarderImage,
  mariadbImage,
  dockerNetwork,
  hosts,
  sharedPostgres,
  backup,
  services: [portal, metrics, authentik, forgejo, bookstack, osticket, grafana, kavita, karakeep, openWebui, portainer],
};
