# vmcluster for NixOS: a module that makes a NixOS system honour the vmcluster image contract
# (images/README.md) and a function that turns such a system into an image directory
# (image.json, vmlinuz, initrd.img: netboot style, no disk image).
#
# NOT YET BUILT IN CI: nixpkgs cannot be fetched on vmcluster's CI machines, so these files are
# only parse-checked there (nix-instantiate --parse). The acceptance gate for what they build is
#   vmcluster image check ./result
# on a machine with Nix (see docs/images.md, "NixOS images").
{
  description = "vmcluster image contract for NixOS systems";

  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";

  outputs = { self, nixpkgs }: {
    # imports = [ vmcluster.nixosModules.vmcluster ]; vmcluster.enable = true; ...
    nixosModules.vmcluster = import ./module.nix;

    # vmcluster.lib.mkImage { inherit nixpkgs; modules = [ ./my-node.nix ]; }  ->  image directory
    lib.mkImage = { nixpkgs ? self.inputs.nixpkgs, system ? "x86_64-linux", modules }:
      import ./image.nix { inherit nixpkgs system; modules = [ self.nixosModules.vmcluster ] ++ modules; };

    # the contract's own smallest image: `nix build .#base && vmcluster image check ./result`
    packages.x86_64-linux.base = self.lib.mkImage {
      modules = [ { vmcluster.enable = true; vmcluster.name = "nixos-base"; } ];
    };

    templates.mvm-ci = {
      path = ./templates/mvm-ci;
      description = "mvm-ci (with embedded Hiqlite) and Flawless as a vmcluster image";
    };
  };
}
