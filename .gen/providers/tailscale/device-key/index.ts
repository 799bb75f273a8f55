// https://registry.terraform.io/providers/tailscale/tailscale/0.29.2/docs/resources/device_key
// generated from terraform resource schema

import { Construct } from 'constructs';
import * as cdktf from 'cdktf';

// Configuration

export interface DeviceKeyConfig extends cdktf.TerraformMetaArguments {
  /**
  * The device to update the key properties of
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/tailscale/tailscale/0.29.2/docs/resources/device_key#device_id DeviceKey#device_id}
  */
  readonly deviceId: string;
  /**
  * Determines whether or not the device's key will expire. Defaults to `false`.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/tailscale/tailscale/0.29.2/docs/resources/device_key#key_expiry_disabled DeviceKey#key_expiry_disabled}
  */
  readonly keyExpiryDisabled?: boolean | cdktf.IResolvable;
}

/**
* Represents a {@link https://registry.terraform.io/providers/tailscale/tailscale/0.29.2/docs/resources/device_key tailscale_device_key}
*/
export class DeviceKey extends cdktf.TerraformResource {

  // =================
  // STATIC PROPERTIES
  // =================
  public static readonly tfResourceType = "tailscale_device_key";

  // ==============
  // STATIC Methods
  // ==============
  /**
  * Generates CDKTF code for importing a DeviceKey resource upon running "cdktf plan <stack-name>"
  * @param scope The scope in which to define this construct
  * @param importToId The construct id used in the generated config for the DeviceKey to import
  * @param importFromId The id of the existing DeviceKey that should be imported. Refer to the {@link https://registry.terraform.io/providers/tailscale/tailscale/0.29.2/docs/resources/device_key#import import section} in the documentation of this resource for the id to use
  * @param provider? Optional instance of the provider where the DeviceKey to import is found
  */
  public static generateConfigForImport(scope: Construct, importToId: string, importFromId: string, provider?: cdktf.TerraformProvider) {
        return new cdktf.ImportableResource(scope, importToId, { terraformResourceType: "tailscale_device_key", importId: importFromId, provider });
      }

  // ===========
  // INITIALIZER
  // ===========

  /**
  * Create a new {@link https://registry.terraform.io/providers/tailscale/tailscale/0.29.2/docs/resources/device_key tailscale_device_key} Resource
  *
  * @param scope The scope in which to define this construct
  * @param id The scoped construct ID. Must be unique amongst siblings in the same scope
  * @param options DeviceKeyConfig
  */
  public constructor(scope: Construct, id: string, config: DeviceKeyConfig) {
    super(scope, id, {
      terraformResourceType: 'tailscale_device_key',
      terraformGeneratorMetadata: {
        providerName: 'tailscale',
        providerVersion: '0.29.2',
        providerVersionConstraint: '0.29.2'
      },
      provider: config.provider,
      dependsOn: config.dependsOn,
      count: config.count,
      lifecycle: config.lifecycle,
      provisioners: config.provisioners,
      connection: config.connection,
      forEach: config.forEach
    });
    this._deviceId = config.deviceId;
    this._keyExpiryDisabled = config.keyExpiryDisabled;
  }

  // ==========
  // ATTRIBUTES
  // ==========

  // device_id - computed: false, optional: false, required: true
  private _deviceId?: string; 
  public get deviceId() {
    return this.getStringAttribute('device_id');
  }
  public set deviceId(value: string) {
    this._deviceId = value;
  }
  // Temporarily expose input value. Use with caution.
  public get deviceIdInput() {
    return this._deviceId;
  }

  // id - computed: true, optional: false, required: false
  public get id() {
    return this.getStringAttribute('id');
  }

  // key_expiry_disabled - computed: true, optional: true, required: false
  private _keyExpiryDisabled?: boolean | cdktf.IResolvable; 
  public get keyExpiryDisabled() {
    return this.getBooleanAttribute('key_expiry_disabled');
  }
  public set keyExpiryDisabled(value: boolean | cdktf.IResolvable) {
    this._keyExpiryDisabled = value;
  }
  public resetKeyExpiryDisabled() {
    this._keyExpiryDisabled = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get keyExpiryDisabledInput() {
    return this._keyExpiryDisabled;
  }

  // =========
  // SYNTHESIS
  // =========

  protected synthesizeAttributes(): { [name: string]: any } {
    return {
      device_id: cdktf.stringToTerraform(this._deviceId),
      key_expiry_disabled: cdktf.booleanToTerraform(this._keyExpiryDisabled),
    };
  }

  protected synthesizeHclAttributes(): { [name: string]: any } {
    const attrs = {
      device_id: {
        value: cdktf.stringToHclTerraform(this._deviceId),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      key_expiry_disabled: {
        value: cdktf.booleanToHclTerraform(this._keyExpiryDisabled),
        isBlock: false,
        type: "simple",
        storageClassType: "boolean",
      },
    };

    // remove undefined attributes
    return Object.fromEntries(Object.entries(attrs).filter(([_, value]) => value !== undefined && value.value !== undefined ))
  }
}
