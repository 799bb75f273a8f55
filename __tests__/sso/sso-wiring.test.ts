import { OidcApp } from "../../constructs/oidc-app";
import { hostNamesOf, identityProvider, publicUrl, servicesOn } from "../../homelab/derive";
import { jsonStepImage } from "../../homelab/settings";
import { SECRET_FILE_DIR, ServiceSpec } from "../../homelab/types";
import { appSettingsOf } from "../helpers/app-settings";
import { HostStack } from "../../stacks/host-stack";
import { goodSpec } from "../fixtures/specs";
import { resourcesOf, synthHomelab, TerraformJson } from "../helpers/synth";
import {
  containerNamed,
  entryOf,
  envOf,
  FileTag,
  oidcServices,
  ONLY_A_REFERENCE,
  parseBlueprint,
  SECRET_LOOKING_FLAGS,
  SECRET_NAME,
  stepsFor,
  SynthesizedStep,
} from "./helpers";

const synth = synthHomelab(goodSpec);
const hostStacks = [...synth.stacks.hosts.values()];
const idp = identityProvider(goodSpec)!;

/** What an app is configured with on one host: its container env and its steps' env. */
interface AppSide {
  readonly env: Record<string, string>;
  readonly steps: readonly SynthesizedStep[];
  readonly stepEnv: Record<string, string>;
  readonly values: readonly string[];
}

function appSide(json: TerraformJson, svc: ServiceSpec): AppSide {
  const main = containerNamed(json, svc.name);
  const env = envOf(main.body);
  const steps = stepsFor(json, main.id);
  const stepEnv = Object.assign({}, ...steps.map((s) => s.environment)) as Record<string, string>;
  return { env, steps, stepEnv, values: [...Object.values(env), ...Object.values(stepEnv)] };
}

const trimSlash = (url: string) => url.replace(/\/+$/, "");

/** The client id an app sends and the redirect URIs it builds, read from its own configuration. */
interface AppOidcConfig {
  readonly clientId: string;
  readonly redirectUris: readonly string[];
}

/**
 * How each app names its client id and builds its redirect URI (the apps' documented
 * behaviour), keyed by image repository: an app added to the spec without an entry here fails
 * the tests below instead of going unchecked.
 */
const appConfigOf: Record<string, (side: AppSide, svc: ServiceSpec) => AppOidcConfig> = {
  "grafana/grafana": (s) => ({ clientId: s.env.GF_AUTH_GENERIC_OAUTH_CLIENT_ID, redirectUris: [`${trimSlash(s.env.GF_SERVER_ROOT_URL)}/login/generic_oauth`] }),
  "lscr.io/linuxserver/bookstack": (s) => ({ clientId: s.env.OIDC_CLIENT_ID, redirectUris: [`${trimSlash(s.env.APP_URL)}/oidc/callback`] }),
  "ghcr.io/karakeep-app/karakeep": (s) => ({ clientId: s.env.OAUTH_CLIENT_ID, redirectUris: [`${trimSlash(s.env.NEXTAUTH_URL)}/api/auth/callback/custom`] }),
  "ghcr.io/open-webui/open-webui": (s) => ({ clientId: s.env.OAUTH_CLIENT_ID, redirectUris: [s.env.OPENID_REDIRECT_URI] }),
  "codeberg.org/forgejo/forgejo": (s) => ({
    clientId: s.stepEnv.OIDC_CLIENT_ID,
    redirectUris: [`${trimSlash(s.env.FORGEJO__server__ROOT_URL)}/user/oauth2/${s.stepEnv.FORGEJO_AUTH_NAME}/callback`],
  }),
  "portainer/portainer-ce": (s) => ({ clientId: s.stepEnv.OIDC_CLIENT_ID, redirectUris: [s.stepEnv.OIDC_REDIRECT_URI] }),
  // Kavita derives both from the host it is served on (ASP.NET's OIDC handler defaults).
  "jvmilazz0/kavita": (s, svc) => ({ clientId: s.stepEnv.OIDC_CLIENT_ID, redirectUris: [`${publicUrl(svc)}/signin-oidc`, `${publicUrl(svc)}/signout-callback-oidc`] }),
};

function appConfig(json: TerraformJson, svc: ServiceSpec): AppOidcConfig {
  const read = appConfigOf[repositoryOf(svc)];
  if (!read) throw new Error(`no known OIDC configuration convention for ${repositoryOf(svc)}: add one to this test`);
  return read(appSide(json, svc), svc);
}

const repositoryOf = (svc: ServiceSpec) => ("ref" in svc.image ? svc.image.ref.replace(/:[^/]*$/, "") : svc.image.build);

/** Every (host stack, OIDC app on that host) pair of the spec. */
const cases: [string, HostStack, ServiceSpec][] = hostStacks.flatMap((stack) =>
  servicesOn(goodSpec, stack.host.name)
    .filter((s) => s.sso.mode === "oidc")
    .map((s) => [`${stack.host.name}/${s.name}`, stack, s] as [string, HostStack, ServiceSpec]),
);

/** The worker's upload of a file, by path. */
function workerUpload(json: TerraformJson, path: string): string | undefined {
  const worker = containerNamed(json, `${idp.name}-${OidcApp.BLUEPRINT_CONTAINER}`);
  return (worker.body.upload as { file: string; content: string }[]).find((u) => u.file === path)?.content;
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

describe("SSO wiring across hosts", () => {
  test("every OIDC app of the spec runs somewhere and is checked", () => {
    expect(cases.length).toBe(oidcServices(goodSpec).reduce((n, s) => n + hostNamesOf(goodSpec, s).length, 0));
    expect(cases.length).toBeGreaterThan(0);
  });

  test.each(cases)("%s: client id, secret and endpoints come from its OidcApp", (_name, stack, svc) => {
    const json = synth.json(stack);
    const app = stack.oidcApps.get(svc.name)!;
    const bp = parseBlueprint(workerUpload(json, app.blueprintPath)!);
    const provider = entryOf(bp, "authentik_providers_oauth2.oauth2provider").attrs!;
    const side = appSide(json, svc);

    expect(appConfig(json, svc).clientId).toBe(provider.client_id);
    expect(provider.client_id).toBe(app.clientId);
    // The secret the app gets is the very expression the worker's secret file holds.
    const secretOnWorker = workerUpload(json, (provider.client_secret as FileTag).path)!;
    expect(secretOnWorker).toMatch(ONLY_A_REFERENCE);
    expect(side.values).toContain(secretOnWorker);
    // Authentik URLs the app uses are this app's endpoints (its slug), nothing stale.
    const idpBase = `${publicUrl(idp)}/application/o/`;
    const endpoints = [app.settings.issuer, app.settings.wellKnownUrl, app.settings.authorizeUrl, app.settings.tokenUrl, app.settings.userinfoUrl, app.settings.endSessionUrl];
    const idpUrls = side.values.filter((v) => v.startsWith(idpBase));
    expect(idpUrls.length).toBeGreaterThan(0);
    for (const url of idpUrls) expect(endpoints).toContain(url);
    expect(app.settings.issuer).toBe(`${idpBase}${entryOf(bp, "authentik_core.application").identifiers.slug}/`);
  });

  test.each(cases)("%s: the redirect URI the app sends is registered (strict) in its blueprint", (_name, stack, svc) => {
    const json = synth.json(stack);
    const app = stack.oidcApps.get(svc.name)!;
    const provider = entryOf(parseBlueprint(workerUpload(json, app.blueprintPath)!), "authentik_providers_oauth2.oauth2provider").attrs!;
    const registered = provider.redirect_uris.map((r: { matching_mode: string; url: string }) => {
      expect(r.matching_mode).toBe("strict");
      return r.url;
    });
    const sent = appConfig(json, svc).redirectUris;
    expect(sent.length).toBeGreaterThan(0);
    for (const uri of sent) expect(registered).toContain(uri);
  });

  test("Grafana: GF_AUTH_GENERIC_OAUTH_CLIENT_ID is the blueprint's client_id and its callback is registered", () => {
    const grafanas = cases.filter(([, , s]) => repositoryOf(s) === "grafana/grafana");
    expect(grafanas.length).toBeGreaterThan(0);
    for (const [, stack, svc] of grafanas) {
      const json = synth.json(stack);
      const env = envOf(containerNamed(json, svc.name).body);
      const provider = entryOf(parseBlueprint(workerUpload(json, stack.oidcApps.get(svc.name)!.blueprintPath)!), "authentik_providers_oauth2.oauth2provider").attrs!;
      expect(env.GF_AUTH_GENERIC_OAUTH_CLIENT_ID).toBe(provider.client_id);
      expect(provider.redirect_uris.map((r: { url: string }) => r.url)).toContain(`${trimSlash(env.GF_SERVER_ROOT_URL)}/login/generic_oauth`);
    }
  });

  test.each(hostStacks.map((s) => [s.host.name, s]))("%s: the Authentik worker carries every app's blueprint and secret file", (_name, stack) => {
    const json = synth.json(stack as HostStack);
    const worker = containerNamed(json, `${idp.name}-${OidcApp.BLUEPRINT_CONTAINER}`);
    // Besides Authentik's own secret files (ServiceEnvContext.secretFile), which the server has too.
    const files = (worker.body.upload as { file: string }[]).map((u) => u.file).filter((f) => !f.startsWith(`${SECRET_FILE_DIR}/`)).sort();
    const expected = oidcServices(goodSpec).flatMap((s) => [`/blueprints/custom/${s.name}.yaml`, `${OidcApp.SECRET_DIR}/${s.name}`]);
    expect(files).toEqual(expected.sort());
    for (const svc of oidcServices(goodSpec)) {
      expect(parseBlueprint(workerUpload(json, `/blueprints/custom/${svc.name}.yaml`)!).version).toBe(1);
    }
    // Only the worker applies blueprints: the server container gets none.
    expect(((containerNamed(json, idp.name).body.upload ?? []) as { file: string }[]).filter((u) => !u.file.startsWith(`${SECRET_FILE_DIR}/`))).toEqual([]);
  });

  test("apps configured after start (CLI or API) have a step that carries the client secret", () => {
    let stepConfigured = 0;
    for (const [, stack, svc] of cases) {
      const json = synth.json(stack);
      const side = appSide(json, svc);
      const secret = workerUpload(json, stack.oidcApps.get(svc.name)!.clientSecretPath)!;
      if (Object.values(side.env).includes(secret)) continue;
      stepConfigured++;
      const carrying = side.steps.filter((s) => Object.values(s.environment).includes(secret));
      expect(carrying).toHaveLength(1);
    }
    // Forgejo, Kavita and Portainer, each on the hosts that run it (its home).
    const homes = (name: string) => hostNamesOf(goodSpec, goodSpec.services.find((s) => s.name === name)!).length;
    expect(stepConfigured).toBe(homes("forgejo") + homes("kavita") + homes("portainer"));
  });

  test.each(cases)("%s: its steps re-run on a new container and keep secrets out of the command", (_name, stack, svc) => {
    const json = synth.json(stack);
    const main = containerNamed(json, svc.name);
    for (const step of stepsFor(json, main.id)) {
      expect(step.triggers.container_id).toBe(`\${docker_container.${main.id}.id}`);
      expect(step.triggers.step).toMatch(/^[0-9a-f]{64}$/);
      // The only Terraform reference in the command is the container's name.
      expect(step.command.replace(new RegExp(`\\$\\{docker_container\\.${main.id}\\.name\\}`, "g"), "")).not.toContain("${");
      expect(step.environment.KITE_STEP_SCRIPT).not.toContain("${");
      for (const [name, value] of Object.entries(step.environment)) {
        if (SECRET_NAME.test(name)) expect(value).toMatch(ONLY_A_REFERENCE);
        if (name !== "DOCKER_HOST" && name !== "KITE_STEP_SCRIPT") expect(step.command).toContain(`-e ${name} `);
      }
      if (Object.keys(step.environment).some((n) => SECRET_NAME.test(n))) expect(step.triggers.env).toMatch(/^\$\{sha256\(/);
    }
  });

  test("Portainer: OAuth through the pinned curl+jq helper in its network namespace, admin password from a file", () => {
    const portainers = cases.filter(([, , s]) => repositoryOf(s) === "portainer/portainer-ce");
    // One server, on its home; the other hosts run its agent.
    expect(portainers.length).toBe(1);
    for (const [, stack, svc] of portainers) {
      const json = synth.json(stack);
      const main = containerNamed(json, svc.name);
      const step = stepsFor(json, main.id).find((s) => s.environment.KITE_STEP_SCRIPT.includes("AuthenticationMethod"))!;
      expect(step.command).toMatch(new RegExp(`^docker run --rm --network container:\\$\\{docker_container\\.${main.id}\\.name\\} .*--entrypoint /bin/sh ${escapeRegExp(jsonStepImage)} -c "\\$KITE_STEP_SCRIPT"$`));
      expect(step.environment.KITE_STEP_SCRIPT).toContain("AuthenticationMethod: 3");
      expect(step.environment.KITE_STEP_SCRIPT).toContain("-X PUT");
      const passwordFile = main.body.command[main.body.command.indexOf("--admin-password-file") + 1];
      const upload = (main.body.upload as { file: string; content: string; permissions: string }[]).find((u) => u.file === passwordFile)!;
      expect(upload.content).toMatch(ONLY_A_REFERENCE);
      expect(upload.permissions).toBe("0400");
      expect(step.environment.PORTAINER_ADMIN_PASSWORD).toBe(upload.content);
    }
  });

  test("Kavita: the settings step runs in the curl+jq helper and restarts Kavita after saving, Forgejo's runs the CLI as git", () => {
    const kavitas = cases.filter(([, , s]) => repositoryOf(s) === "jvmilazz0/kavita");
    const forgejos = cases.filter(([, , s]) => repositoryOf(s) === "codeberg.org/forgejo/forgejo");
    expect(kavitas.length).toBe(hostNamesOf(goodSpec, kavitas[0][2]).length);
    expect(forgejos.length).toBe(hostNamesOf(goodSpec, forgejos[0][2]).length);
    for (const [, stack, svc] of kavitas) {
      const json = synth.json(stack);
      const main = containerNamed(json, svc.name);
      const [step] = stepsFor(json, main.id);
      expect(step.command).toMatch(
        new RegExp(`^docker run --rm --network container:\\$\\{docker_container\\.${main.id}\\.name\\} .*${escapeRegExp(jsonStepImage)} .* && docker restart \\$\\{docker_container\\.${main.id}\\.name\\}$`),
      );
      expect(step.environment.OIDC_AUTHORITY).toBe(stack.oidcApps.get(svc.name)!.settings.issuer);
    }
    for (const [, stack, svc] of forgejos) {
      const json = synth.json(stack);
      const [step] = stepsFor(json, containerNamed(json, svc.name).id);
      expect(step.command).toMatch(/^docker exec -u git /);
      expect(step.environment.KITE_STEP_SCRIPT).toMatch(/forgejo admin auth list/);
      expect(step.environment.KITE_STEP_SCRIPT).toMatch(/update-oauth --id "\$id"/);
      expect(step.environment.KITE_STEP_SCRIPT).toMatch(/add-oauth/);
    }
  });

  test("per-host OIDC apps say so in the spec", () => {
    for (const svc of oidcServices(goodSpec).filter((s) => s.state === "per-host")) expect(svc.stateNote?.trim()).toBeTruthy();
  });
});

describe("no secret literal in any stack", () => {
  const stacks = [synth.stacks.edge, ...synth.stacks.vms.values(), ...hostStacks];

  test.each(stacks.map((s) => [s.node.id, s]))("%s: secret-named env, step env and secret files are references only", (_name, stack) => {
    const json = synth.json(stack);
    for (const container of Object.values(resourcesOf(json, "docker_container"))) {
      for (const [name, value] of Object.entries(appSettingsOf(container))) {
        if (SECRET_NAME.test(name) && !SECRET_LOOKING_FLAGS.has(name)) expect([name, value]).toEqual([name, expect.stringMatching(ONLY_A_REFERENCE)]);
      }
      for (const upload of (container.upload ?? []) as { file: string; content: string }[]) {
        if (upload.file.startsWith(OidcApp.SECRET_DIR) || /secret|password|token/i.test(upload.file)) {
          expect([upload.file, upload.content]).toEqual([upload.file, expect.stringMatching(ONLY_A_REFERENCE)]);
        }
      }
    }
    for (const resource of Object.values(resourcesOf(json, "terraform_data"))) {
      for (const provisioner of resource.provisioner ?? []) {
        for (const [name, value] of Object.entries((provisioner["local-exec"]?.environment ?? {}) as Record<string, string>)) {
          if (SECRET_NAME.test(name)) expect([name, value]).toEqual([name, expect.stringMatching(ONLY_A_REFERENCE)]);
        }
      }
    }
  });
});
