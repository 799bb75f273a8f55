import { Fn, TerraformRemoteState, TerraformStack, Token } from "cdktf";
import { Construct } from "constructs";
import { HomelabInputs } from "../constructs/homelab-inputs";
import { Adoption } from "../homelab/adoption";
import { HomelabSpec } from "../homelab/types";
import { applyStateBackend, StateBackendConfig } from "./state-backend";

export interface KiteStackProps {
  readonly spec: HomelabSpec;
  /** @default local state files */
  readonly backend?: StateBackendConfig;
  /**
   * What already exists (adoption.json): the stacks import it instead of creating it.
   * @default nothing exists yet (a fresh homelab)
   */
  readonly adoption?: Adoption;
}

/** What every KiteStacks stack shares: the spec, the state backend and its inputs. */
export abstract class KiteStack extends TerraformStack {
  public readonly spec: HomelabSpec;
  public readonly inputs: HomelabInputs;
  /** What already exists and is imported (adoption.json); undefined for a fresh homelab. */
  public readonly adoption?: Adoption;

  constructor(scope: Construct, id: string, props: KiteStackProps) {
    super(scope, id);
    this.spec = props.spec;
    this.adoption = props.adoption;
    applyStateBackend(this, id, props.backend ?? { kind: "local" });
    this.inputs = new HomelabInputs(this, "inputs");
  }

  /**
   * Every value this stack reads from another stack's state is re-marked sensitive where it is
   * read. cdktf turns a cross-stack reference into a sensitive output of the origin and a
   * `terraform_remote_state` read here, and outputs read that way lose their sensitive mark
   * (hashicorp/terraform#29544): without this, plans print generated passwords and the tunnel
   * token in plain text. cdktf's App.crossStackReference reads each value through getString of
   * the data source this returns (cdktf lib/app.ts), so wrapping it covers every reference.
   */
  public registerIncomingCrossStackReference(fromStack: TerraformStack): TerraformRemoteState {
    const remoteState = super.registerIncomingCrossStackReference(fromStack);
    const resensitized = Object.create(remoteState) as TerraformRemoteState;
    resensitized.getString = (output: string) => Token.asString(Fn.sensitive(remoteState.getString(output)));
    return resensitized;
  }
}
