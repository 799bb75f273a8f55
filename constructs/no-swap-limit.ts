import { Container } from "@cdktf/provider-docker/lib/container";
import { IAspect } from "cdktf";
import { IConstruct } from "constructs";

/**
 * For a host whose kernel cannot limit swap per container (`docker info` → `SwapLimit: false`,
 * e.g. cgroup v1 without `swapaccount=1`): every container's `memory_swap` becomes -1.
 *
 * There Docker drops the swap limit and stores -1 (moby daemon/daemon_unix.go,
 * verifyPlatformContainerResources: "Memory limited without swap", `MemorySwap = -1`), so the
 * 2 × memory that KiteService writes would come back as an update of every container on every
 * plan. -1 is what the engine keeps, so the plan stays empty; the memory limit still holds.
 */
export class NoSwapLimit implements IAspect {
  visit(node: IConstruct): void {
    if (node instanceof Container) node.memorySwap = -1;
  }
}
