/**
 * npm run adopt (the cut-over) on the owner's monk: a real compose project (Debian's
 * docker-compose) on a Docker engine of the test's own, the real terraform with the stand-in
 * docker provider applying monk-docker synthesized with the discovered adoption file.
 *   - the backup comes first: when the backup job cannot be built (no registry here for its base
 *     images), the cut-over stops before anything is stopped, and the old homelab still runs;
 *   - a failed apply rolls back: the old compose project runs again, on the same data;
 *   - a good cut-over (Kavita alone, --target, with a busybox stand-in of its pinned image)
 *     stops the compose project, starts the stack's container on the adopted volumes (the
 *     imported one and the bind-backed one) and waits for Docker's healthcheck: the marker the
 *     old homelab wrote is there in the new container.
 * Stand-ins: the docker provider (docs/terraform.md), Kavita's image (busybox with a `curl` that
 * succeeds, so the pinned healthcheck passes), and docker runs on the engine directly, not
 * over ssh (the ssh command line is the discovery test's).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { findService } from "../../homelab/derive";
import { cutOver, CutOverDeps, CutOverOptions } from "../../scripts/adopt";
import { importBusybox, must, OWNER_PROJECT } from "../adopt/owner-homelab";
import { AdoptHarness, spec, startAdoptHarness } from "./adopt-harness";
import { spawnSync } from "node:child_process";
import { mkdtempSync, mkdirSync, rmSync, symlinkSync, writeFileSync, copyFileSync, chmodSync } from "node:fs";
import { tmpdir } from "node:os";

let h: AdoptHarness;
let stackDir: string;
let stackJson: Record<string, any>;
const started = Date.now();

beforeAll(async () => {
  h = await startAdoptHarness("cutover");
  stackDir = h.prepare("cutover", h.adoption);
  stackJson = JSON.parse(readFileSync(join(stackDir, "cdk.tf.json"), "utf8"));
}, 10 * 60_000);

afterAll(async () => {
  await h?.stop();
  process.stdout.write(`adopt cut-over test: ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
});

const log: string[] = [];
const deps = (): CutOverDeps => ({
  // "On the host": a shell whose docker talks to the test's engine.
  onHost: (_host, argv) => {
    const r = spawnSync(argv[0], argv.slice(1), { encoding: "utf8", env: { ...process.env, DOCKER_HOST: h.owner.engine.host, OWNER_IMAGE: "kite-owner/busybox:1" } });
    return { status: r.status, stdout: r.stdout ?? "", stderr: r.stderr ?? "" };
  },
  terraform: (args) => h.terraform(stackDir, args),
  log: (line) => log.push(line),
  sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
});
const options = (o: Partial<CutOverOptions>): CutOverOptions => ({ host: "monk", targets: [], compose: ["docker-compose"], timeoutSeconds: 120, backup: true, dryRun: false, ...o });

const running = () => must(h.owner.docker(["ps", "--format", "{{.Names}}"]), "docker ps").split(/\s+/).filter(Boolean).sort();
const composeContainers = () => h.owner.markers.map((m) => m.container).filter((c, i, a) => a.indexOf(c) === i).sort();
const containerAddress = (name: string) => {
  const [id] = Object.entries(stackJson.resource.docker_container as Record<string, any>).find(([, b]) => b.name === name)!;
  return `docker_container.${id}`;
};
const kavita = findService(spec, "kavita");

describe("npm run adopt monk", () => {
  test("the backup comes first: when it fails, nothing is stopped", async () => {
    log.length = 0;
    const code = await cutOver(spec, h.adoption, stackJson, options({}), deps());
    expect(code).toBe(2);
    expect(log.join("\n")).toMatch(/the backup job could not be applied; the old homelab is untouched/);
    expect(log.join("\n")).not.toMatch(/docker-compose .* down/);
    expect(running()).toEqual(composeContainers());
  });

  test("a failed apply rolls back: the old compose project runs again on the same data", async () => {
    log.length = 0;
    // Kavita's pinned image is not on this engine and there is no registry: the apply fails.
    const code = await cutOver(spec, h.adoption, stackJson, options({ backup: false, targets: [containerAddress(kavita.name)] }), deps());
    const text = log.join("\n");
    expect(code).toBe(1);
    expect(text).toMatch(new RegExp(`docker-compose -p ${OWNER_PROJECT} .* down`));
    expect(text).toMatch(/terraform apply failed: rolling back/);
    expect(text).toMatch(new RegExp(`docker-compose -p ${OWNER_PROJECT} .* up -d`));
    expect(running()).toEqual(composeContainers());
    const marker = h.owner.markers.find((m) => m.container === kavita.name && m.path === kavita.volumes![0].mountPath)!;
    expect(must(h.owner.docker(["exec", kavita.name, "cat", `${marker.path}/kite-marker-${kavita.name}`]), "read marker").trim()).toBe(marker.content);
  }, 10 * 60_000);

  test("a good cut-over: compose stopped, the stack's container healthy on the adopted data", async () => {
    // A stand-in of Kavita's pinned image: busybox with a curl that succeeds (its healthcheck).
    const ref = (kavita.image as { ref: string }).ref;
    const root = mkdtempSync(join(tmpdir(), "ksa2-kavita-"));
    try {
      mkdirSync(join(root, "bin"));
      copyFileSync("/usr/bin/busybox", join(root, "bin", "busybox"));
      for (const a of ["sh", "sleep", "cat"]) symlinkSync("busybox", join(root, "bin", a));
      writeFileSync(join(root, "bin", "curl"), "#!/bin/sh\nexit 0\n");
      chmodSync(join(root, "bin", "curl"), 0o755);
      must(
        spawnSync("sh", ["-c", `tar -C '${root}' -c . | docker import --change 'CMD ["sleep","86400"]' - '${ref}'`], { encoding: "utf8", env: { ...process.env, DOCKER_HOST: h.owner.engine.host } }) as any,
        "docker import kavita stand-in",
      );
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
    void importBusybox;
    // Stand-in: this machine has no Tailscale address to publish the tailnet port on; the test
    // publishes it on 127.0.0.1 instead (a Terraform override file, beside cdk.tf.json).
    const address = containerAddress(kavita.name);
    const ports = (stackJson.resource.docker_container[address.split(".")[1]].ports as { internal: number; external: number }[]).map((p) => ({ ...p, ip: "127.0.0.1", external: p.external + 20000 }));
    writeFileSync(join(stackDir, "ksa2_ports_override.tf.json"), JSON.stringify({ resource: { docker_container: { [address.split(".")[1]]: { ports } } } }));
    log.length = 0;
    const code = await cutOver(spec, h.adoption, stackJson, options({ backup: false, targets: [containerAddress(kavita.name)] }), deps());
    const text = log.join("\n");
    expect({ code, text: code === 0 ? "" : text }).toEqual({ code: 0, text: "" });
    expect(text).toMatch(new RegExp(`1 containers healthy: ${kavita.name}`));
    // Compose's containers are gone; the one running is the stack's, on the adopted volumes.
    expect(running()).toEqual([kavita.name]);
    const labels = JSON.parse(must(h.owner.docker(["inspect", "--format", "{{json .Config.Labels}}", kavita.name]), "inspect"));
    expect(labels["org.kitestacks.managed-by"]).toBe("kitestacks-iac");
    expect(labels["com.docker.compose.project"]).toBeUndefined();
    for (const m of h.owner.markers.filter((x) => x.container === kavita.name)) {
      expect(must(h.owner.docker(["exec", kavita.name, "cat", `${m.path}/kite-marker-${kavita.name}`]), "read marker").trim()).toBe(m.content);
    }
  }, 10 * 60_000);
});
