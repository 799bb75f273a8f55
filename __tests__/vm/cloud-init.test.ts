import { TerraformOutput, TerraformVariable, Testing } from "cdktf";
import { Construct } from "constructs";
import { DockerHostCloudInit, DockerHostCloudInitProps } from "../../constructs/cloud-init-docker-host";
import { renderUserData, SAMPLE_VARS } from "./helpers";

type Props = Omit<DockerHostCloudInitProps, "tailscaleAuthKey" | "sshPublicKey">;

const props: Props = {
  image: "debian-13",
  tailscaleHostname: "fixture-host",
  tailscaleTags: ["tag:server", "tag:db"],
  deployUser: "deploy",
};

/** Builds the construct with the secrets as variables, as the VM stack does. */
function build(scope: Construct, p: Props): DockerHostCloudInit {
  const variable = (name: string) => new TerraformVariable(scope, name, { type: "string", sensitive: true }).stringValue;
  return new DockerHostCloudInit(scope, "cloud-init", {
    ...p,
    tailscaleAuthKey: variable("tailscale_auth_key"),
    sshPublicKey: variable("ssh_public_key"),
  });
}

/** The construct's user_data as Terraform receives it (tokens resolved to expressions). */
function userDataOf(p: Props): string {
  const json = Testing.synthScope((scope) => {
    new TerraformOutput(scope, "user_data", { value: build(scope, p).userData });
  });
  return JSON.parse(json).output.user_data.value as string;
}

describe("DockerHostCloudInit", () => {
  it("serializes to #cloud-config YAML that round-trips values with YAML-special characters", () => {
    const config = renderUserData(userDataOf(props));
    expect(config.users[0].ssh_authorized_keys).toEqual([SAMPLE_VARS.ssh_public_key]);
    expect(config.runcmd).toContainEqual(expect.arrayContaining(["--advertise-tags=tag:server,tag:db", "--hostname=fixture-host"]));
  });

  it("uses Docker's and Tailscale's Ubuntu repositories on an Ubuntu image", () => {
    const config = renderUserData(userDataOf({ ...props, image: "ubuntu-24.04" }));
    expect(config.apt.sources["docker.list"].source).toContain("https://download.docker.com/linux/ubuntu $RELEASE");
    expect(config.apt.sources["tailscale.list"].source).toContain("https://pkgs.tailscale.com/stable/ubuntu $RELEASE");
  });

  it("fails on an image that is not Debian-family, naming the field", () => {
    expect(() => Testing.synthScope((scope) => build(scope, { ...props, image: "rocky-9" }))).toThrow(
      /provisioning\.image: "rocky-9" is not a Debian or Ubuntu image/,
    );
  });

  it("fails when the document would carry template syntax Terraform interpolates", () => {
    expect(() => Testing.synthScope((scope) => build(scope, { ...props, tailscaleTags: ["tag:${oops}"] }))).toThrow(
      /\$\{ or %\{ outside a Terraform token/,
    );
  });
});
