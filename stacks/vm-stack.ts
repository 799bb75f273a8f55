import { Construct } from "constructs";
import { HostSpec } from "../spec/types";
import { KiteStack, KiteStackProps } from "./kite-stack";

export interface VmStackProps extends KiteStackProps {
  /** The host to create; its provisioning kind is "hcloud". */
  readonly host: HostSpec;
}

/** A Hetzner Cloud VM ready for its Docker workloads (kscloud1). */
export class VmStack extends KiteStack {
  public readonly host: HostSpec;

  constructor(scope: Construct, id: string, props: VmStackProps) {
    super(scope, id, props);
    this.host = props.host;
  }
}
