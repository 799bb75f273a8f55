import { readFileSync } from "node:fs";
import { join } from "node:path";
import { internalUrl, publicHostnames } from "../../spec/derive";
import { kitestacks } from "../../spec/homelab";
import { repoRoot } from "../helpers/synth";

/** The rows between the edge-hostnames markers of docs/edge.md, header and rule removed. */
function documentedRows(): string[] {
  const text = readFileSync(join(repoRoot, "docs", "edge.md"), "utf8");
  const match = /<!-- edge-hostnames:begin -->\n([\s\S]*?)<!-- edge-hostnames:end -->/.exec(text);
  if (!match) throw new Error("docs/edge.md lost its edge-hostnames markers");
  return match[1].trim().split("\n").slice(2);
}

test("docs/edge.md lists every public hostname with its service, target and Access, in spec order", () => {
  const expected = publicHostnames(kitestacks).map(
    ({ hostname, service }) => `| \`${hostname}\` | ${service.name} | \`${internalUrl(service)}\` | ${service.adminSurface ? "yes" : "no"} |`,
  );
  // On failure: copy the expected rows into the table in docs/edge.md.
  expect(documentedRows()).toEqual(expected);
});
