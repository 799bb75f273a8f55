import { Container, ContainerConfig } from "@cdktf/provider-docker/lib/container";
import { App, TerraformResource, TerraformStack, Testing } from "cdktf";
import { buildHomelab, HomelabStacks } from "../../app";
import { checkPolicies } from "../../policies";
import { Finding } from "../../policies/context";
import { PolicyReport } from "../../policies/runner";
import { HomelabSpec } from "../../homelab/types";
import { goodSpec } from "../fixtures/specs";
import { repoRoot } from "../helpers/synth";

/**
 * A fresh (uncached) app per test: the tests add violating resources to it, so it must not be
 * shared with the synth cache other suites read.
 */
export function freshHomelab(spec: HomelabSpec = goodSpec): { app: App; stacks: HomelabStacks; spec: HomelabSpec } {
  const app = Testing.app();
  const stacks = buildHomelab(app, spec, { repoRoot });
  return { app, stacks, spec };
}

/** A raw docker_container with everything the long-running rules want, overridable. */
export function rawContainer(stack: TerraformStack, id: string, config: Partial<ContainerConfig> = {}): Container {
  return new Container(stack, id, {
    name: id,
    image: "registry.example/tool:1.2.3",
    restart: "unless-stopped",
    logDriver: "json-file",
    logOpts: { "max-size": "10m" },
    healthcheck: { test: ["CMD", "true"] },
    ...config,
  });
}

/** A resource of any type (hcloud bindings are generated elsewhere): the body is set by override. */
export function rawResource(stack: TerraformStack, id: string, type: string, body: Record<string, unknown>): TerraformResource {
  const resource = new TerraformResource(stack, id, { terraformResourceType: type });
  for (const [key, value] of Object.entries(body)) resource.addOverride(key, value);
  return resource;
}

/** Findings of one rule in a report (errors and warnings). */
export function findingsOf(report: PolicyReport, rule: string): Finding[] {
  return [...report.errors, ...report.warnings].filter((f) => f.rule === rule);
}

/** Runs every policy on the app. */
export const check = (lab: { app: App; spec: HomelabSpec }) => checkPolicies(lab.app, lab.spec);
