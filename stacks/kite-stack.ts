import { TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { HomelabInputs } from "../constructs/homelab-inputs";
import { HomelabSpec } from "../homelab/types";
import { applyStateBackend, StateBackendConfig } from "./state-backend";

export interface KiteStackProps {
  readonly spec: HomelabSpec;
  /** @default local state files */
  readonly backend?: StateBackendConfig;
}

/** What every KiteStacks stack shares: the spec, the state backend and its inputs. */
export abstract class KiteStack extends TerraformStack {
  public readonly spec: HomelabSpec;
  public readonly inputs: HomelabInputs;

  constructor(scope: Construct, id: string, props: KiteStackProps) {
    super(scope, id);
    this.spec = props.spec;
    applyStateBackend(this, id, props.backend ?? { kind: "local" });
    this.inputs = new HomelabInputs(this, "inputs");
  }
}
