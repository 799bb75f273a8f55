/**
 * STAND-IN for the backup repository's S3 store (Cloudflare R2 in production): moto's S3
 * server, run inside the outsider namespace (the internet), on an address of its own, over
 * HTTPS with a certificate from the run's CA, at the name of the lab's `backup_s3_endpoint`
 * input, which the fake edge's DNS answers. The hosts' backup jobs reach it the way they reach
 * R2: out of their host's internet link, by name, over TLS, with restic's S3 backend.
 *
 * moto is a Python venv on the machine's filesystem (installed by .ci/run); the namespaces
 * share that filesystem, so the outsider runs it in place. moto checks no signatures (any keys
 * work) and keeps everything in memory: the bucket dies with the run.
 */
import { motoServer } from "../../__tests__/backup/harness";
import { INTERNET_PREFIX, Lab } from "./hosts";
import { waitFor } from "./run";
import { makeServerCert } from "./tls";

/** The store's own address on the internet switch (the fake edge keeps OUTSIDER_IP:443). */
export const S3_STORE_IP = `${INTERNET_PREFIX}.101`;

export interface S3Store {
  /** The endpoint as the stacks get it (`backup_s3_endpoint`). */
  readonly endpoint: string;
  readonly bucket: string;
  /** Keys of the bucket under a prefix, every page (S3 ListObjectsV2). */
  listKeys(prefix: string): Promise<string[]>;
}

/** DNS entries the fake edge must answer for the store: `name=ip`. */
export function s3StoreDnsEntry(endpoint: string): string {
  return `${new URL(endpoint).hostname}=${S3_STORE_IP}`;
}

/**
 * Starts the store in the lab's outsider and creates the bucket (the one step the docs ask of
 * a person before the first backup). `caDir` holds the run's CA (makeEdgeTls).
 */
export async function startS3Store(lab: Lab, endpoint: string, bucket: string, caDir: string): Promise<S3Store> {
  const url = new URL(endpoint);
  if (url.protocol !== "https:") throw new Error(`the lab's S3 store serves https only; backup_s3_endpoint is ${endpoint}`);
  const port = url.port || "443";
  const cert = await makeServerCert(caDir, url.hostname);
  await lab.outsider.ip("addr", "add", `${S3_STORE_IP}/24`, "dev", "pub0");
  // Requests for this name are path-style (bucket in the path), as restic sends them to a
  // custom endpoint: moto would read a dotted host name as <bucket>.<endpoint> otherwise.
  lab.outsider.spawnDaemon("s3-store", [motoServer(), "-H", S3_STORE_IP, "-p", port, "-c", cert.cert, "-k", cert.key], {
    ...process.env,
    MOTO_S3_CUSTOM_ENDPOINTS: url.origin,
  });
  // curl from the outsider itself: the test process has no route into the lab.
  const curl = (path: string, args: string[] = []) =>
    lab.outsider.exec(["curl", "-sS", "-m", "20", "--cacert", `${caDir}/ca.crt`, "--resolve", `${url.hostname}:${port}:${S3_STORE_IP}`, ...args, `${url.origin}${path}`], { allowFailure: true });
  await waitFor("S3 store (moto)", async () => ((await curl("/", ["-o", "/dev/null", "-w", "%{http_code}"])).stdout === "200" ? true : undefined), 90_000, 500);
  const made = await curl(`/${bucket}`, ["-X", "PUT", "-o", "/dev/null", "-w", "%{http_code}"]);
  if (made.stdout !== "200") throw new Error(`S3 store: creating bucket ${bucket} answered ${made.stdout} ${made.stderr}`);
  return {
    endpoint,
    bucket,
    async listKeys(prefix) {
      const keys: string[] = [];
      let token: string | undefined;
      do {
        const query = `list-type=2&prefix=${encodeURIComponent(prefix)}${token ? `&continuation-token=${encodeURIComponent(token)}` : ""}`;
        const r = await curl(`/${bucket}?${query}`, ["--fail"]);
        if (r.code !== 0) throw new Error(`S3 store: listing ${bucket}/${prefix} failed: ${r.stderr}`);
        for (const m of r.stdout.matchAll(/<Key>([^<]*)<\/Key>/g)) keys.push(m[1]);
        token = /<IsTruncated>true<\/IsTruncated>/.test(r.stdout) ? /<NextContinuationToken>([^<]*)</.exec(r.stdout)?.[1] : undefined;
      } while (token);
      return keys;
    },
  };
}
