/**
 * Can `npm run test:e2e` run here? Exit 0 when the project toolchain has every provider the
 * host stacks need (or KSE2E_TERRAFORMRC names another mirror), 3 when one is missing (the
 * reason is printed), 1 on any other error. .ci/run uses it to run the e2e test or say why not.
 */
import { ensureTerraformToolchain } from "../scripts/terraform-toolchain";
import { HOST_STACK_PROVIDERS } from "./harness/terraform";

async function main(): Promise<number> {
  if (process.env.KSE2E_TERRAFORMRC) return 0;
  const tc = await ensureTerraformToolchain({ log: (l) => process.stderr.write(`[toolchain] ${l}\n`) });
  const missing = tc.providers.filter((p) => (HOST_STACK_PROVIDERS as readonly string[]).includes(p.recipe.name) && p.how === "missing");
  for (const p of missing) console.log(`e2e: provider ${p.address} ${p.recipe.version} is not available: ${p.reason}`);
  return missing.length > 0 ? 3 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  },
);
