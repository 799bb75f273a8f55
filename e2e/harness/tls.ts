/** A CA and a wildcard certificate for the fake edge, made for one run with openssl. */
import { join } from "node:path";
import { writeFileSync } from "node:fs";
import { run } from "./run";

export interface EdgeTls {
  readonly caCert: string;
  readonly cert: string;
  readonly key: string;
}

export async function makeEdgeTls(dir: string, domain: string): Promise<EdgeTls> {
  const p = (f: string) => join(dir, f);
  await run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=KiteStacks e2e fake edge CA", "-keyout", p("ca.key"), "-out", p("ca.crt")]);
  await run(["openssl", "req", "-newkey", "rsa:2048", "-nodes", "-subj", `/CN=${domain}`, "-keyout", p("edge.key"), "-out", p("edge.csr")]);
  writeFileSync(p("edge.ext"), `subjectAltName=DNS:${domain},DNS:*.${domain}\nextendedKeyUsage=serverAuth\n`);
  await run(["openssl", "x509", "-req", "-in", p("edge.csr"), "-CA", p("ca.crt"), "-CAkey", p("ca.key"), "-CAcreateserial", "-days", "2", "-extfile", p("edge.ext"), "-out", p("edge.crt")]);
  return { caCert: p("ca.crt"), cert: p("edge.crt"), key: p("edge.key") };
}

/** A certificate for one more server name, signed by the CA makeEdgeTls made in `dir`. */
export async function makeServerCert(dir: string, name: string): Promise<{ cert: string; key: string }> {
  const p = (f: string) => join(dir, f);
  const base = `server-${name}`;
  await run(["openssl", "req", "-newkey", "rsa:2048", "-nodes", "-subj", `/CN=${name}`, "-keyout", p(`${base}.key`), "-out", p(`${base}.csr`)]);
  writeFileSync(p(`${base}.ext`), `subjectAltName=DNS:${name}\nextendedKeyUsage=serverAuth\n`);
  await run(["openssl", "x509", "-req", "-in", p(`${base}.csr`), "-CA", p("ca.crt"), "-CAkey", p("ca.key"), "-CAcreateserial", "-days", "2", "-extfile", p(`${base}.ext`), "-out", p(`${base}.crt`)]);
  return { cert: p(`${base}.crt`), key: p(`${base}.key`) };
}
