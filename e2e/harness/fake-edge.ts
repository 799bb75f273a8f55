/**
 * STAND-IN for the internet side of Cloudflare, run by the e2e test inside the outsider
 * namespace: a DNS server that answers every name under the homelab's domain with this
 * node's address, and an HTTPS server (certificate from a CA made for this run, which the
 * stand-in images trust) that answers the identity provider's OIDC discovery documents.
 * Post-start steps that wait for the public discovery URL (Kavita's) find it here. It does
 * not route to the hosts (no tunnel): every other public URL answers 404.
 *   KSE2E_EDGE_IP, KSE2E_DOMAIN, KSE2E_IDP_HOSTNAME, KSE2E_TLS_CERT, KSE2E_TLS_KEY
 *   KSE2E_EXTRA_NAMES  optional "name=ip,..." answered as well (other internet servers of the
 *                      run, e.g. the S3 store of e2e/harness/s3-store.ts)
 */
import { createSocket } from "node:dgram";
import { readFileSync } from "node:fs";
import { createServer } from "node:https";

const ip = process.env.KSE2E_EDGE_IP!;
const domain = process.env.KSE2E_DOMAIN!.toLowerCase();
const idp = process.env.KSE2E_IDP_HOSTNAME!.toLowerCase();
const extra = new Map(
  (process.env.KSE2E_EXTRA_NAMES ?? "")
    .split(",")
    .filter(Boolean)
    .map((pair) => [pair.slice(0, pair.indexOf("=")).toLowerCase(), pair.slice(pair.indexOf("=") + 1)] as [string, string]),
);

function parseName(msg: Buffer, offset: number): [string, number] {
  const labels: string[] = [];
  while (msg[offset] !== 0) {
    const len = msg[offset];
    labels.push(msg.subarray(offset + 1, offset + 1 + len).toString("ascii"));
    offset += len + 1;
  }
  return [labels.join(".").toLowerCase(), offset + 1];
}

const dns = createSocket("udp4");
dns.on("message", (msg, rinfo) => {
  try {
    const [name, end] = parseName(msg, 12);
    const qtype = msg.readUInt16BE(end);
    const question = msg.subarray(12, end + 4);
    const ours = name === domain || name.endsWith(`.${domain}`) || extra.has(name);
    const answer = ours && qtype === 1;
    const address = extra.get(name) ?? ip;
    const header = Buffer.alloc(12);
    msg.copy(header, 0, 0, 2);
    header.writeUInt16BE(0x8180 | (ours ? 0 : 3), 2); // response, RD+RA; NXDOMAIN when not ours
    header.writeUInt16BE(1, 4);
    header.writeUInt16BE(answer ? 1 : 0, 6);
    const parts = [header, question];
    if (answer) {
      const rr = Buffer.alloc(16);
      rr.writeUInt16BE(0xc00c, 0);
      rr.writeUInt16BE(1, 2);
      rr.writeUInt16BE(1, 4);
      rr.writeUInt32BE(30, 6);
      rr.writeUInt16BE(4, 10);
      address.split(".").forEach((o, i) => rr.writeUInt8(Number(o), 12 + i));
      parts.push(rr);
    }
    dns.send(Buffer.concat(parts), rinfo.port, rinfo.address);
  } catch {
    /* malformed query: no answer */
  }
});
dns.bind(53, ip);

const https = createServer({ cert: readFileSync(process.env.KSE2E_TLS_CERT!), key: readFileSync(process.env.KSE2E_TLS_KEY!) }, (req, res) => {
  const host = (req.headers.host ?? "").split(":")[0].toLowerCase();
  const m = /^\/application\/o\/([a-z0-9-]+)\/\.well-known\/openid-configuration$/.exec(req.url ?? "");
  console.log(`fake-edge ${req.method} ${host}${req.url}`);
  if (host === idp && m) {
    const base = `https://${idp}/application/o`;
    res.setHeader("content-type", "application/json");
    res.end(
      JSON.stringify({
        issuer: `${base}/${m[1]}/`,
        authorization_endpoint: `${base}/authorize/`,
        token_endpoint: `${base}/token/`,
        userinfo_endpoint: `${base}/userinfo/`,
        end_session_endpoint: `${base}/${m[1]}/end-session/`,
        jwks_uri: `${base}/${m[1]}/jwks/`,
        response_types_supported: ["code"],
        subject_types_supported: ["public"],
        id_token_signing_alg_values_supported: ["RS256"],
      }),
    );
    return;
  }
  res.statusCode = 404;
  res.end("fake edge: no tunnel behind this stand-in\n");
});
https.listen(443, ip, () => console.log(`fake-edge ready dns=${ip}:53 https=${ip}:443 domain=${domain}`));
