/**
 * Can `npm run test:e2e` run here? Exit 0 when the project toolchain has every provider the
 * host stacks need, pinned or as the toolchain's labelled stand-in (the test then says loudly
 * which pin it replaced), or when KSE2E_TERRAFORMRC names another mirror; 3 when one is
 * missing with no stand-in (the reason is printed), 1 on any other error. .ci/run runs it
 * after `npm run providers` to run the e2e test or say why not.
 */
import { ensureTerraformToolchain } from "../scripts/terraform-toolchain";
import { HOST_STACK_PROVIDERS, missingHostProviders } from "./harness/terraform";

async function main(): Promise<number> {
  if (process.env.KSE2E_TERRAFORMRC) return 0;
  const tc = await ensureTerraformToolchain({ build: false, useRegistry: false, log: (l) => process.stderr.write(`[toolchain] ${l}\n`) });
  const missing = missingHostProviders(tc);
  for (const line of missing) console.log(`e2e: ${line}`);
  for (const p of tc.providers) {
    if ((HOST_STACK_PROVIDERS as readonly string[]).includes(p.recipe.name) && p.how === "missing" && p.standIn) {
      console.log(`e2e: WARNING: ${p.address} ${p.recipe.version} is not in the mirror; the e2e applies with its STAND-IN ${p.standIn.version} (docs/testing.md)`);
    }
  }
  return missing.length > 0 ? 3 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  },
);
