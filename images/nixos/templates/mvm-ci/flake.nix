# mvm-ci as a vmcluster image (template: nix flake init -t <vmcluster>/images/nixos#mvm-ci).
# Three services per node, as in ../../../../../shared/notes/seed-system.md: flawless (27288,
# started first), mvm-ci (HTTP 3020, requires flawless) and Hiqlite inside mvm-ci (Raft 9000,
# API 9001: the same unit). Every node of vmc.hosts is a Hiqlite member.
#
#   nix build .#image && vmcluster image check ./result
#   vmcluster run scenarios/mvm-ci-cluster.yaml -p image=$PWD/result -p queue.service=mvm-ci \
#     -p raft.service=mvm-ci -p workflow.service=flawless
#
# NOT YET BUILT IN CI: parse-checked only (nixpkgs and mvm-ci cannot be fetched there).
{
  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
    vmcluster.url = "path:../..";        # images/nixos of a vmcluster checkout
    mvm-ci.url = "github:example/mvm-ci"; # replace with mvm-ci's flake
  };

  outputs = { self, nixpkgs, vmcluster, mvm-ci }:
    let
      system = "x86_64-linux";
      mvm = mvm-ci.packages.${system}.default;
      node = { config, lib, pkgs, ... }: {
        vmcluster = {
          enable = true;
          name = "mvm-ci";
          minMemoryMiB = 1024;
          dataDiskMiB = 1024;
          params = { "hiqlite.secret" = "vmc-test-secret"; };
          services = {
            flawless = { unit = "flawless.service"; port = 27288; };
            mvm-ci = { unit = "mvm-ci.service"; port = 3020; };
            hiqlite = { unit = "mvm-ci.service"; port = 9000; };   # embedded in mvm-ci
          };
        };

        systemd.services.flawless = {
          wantedBy = [ "multi-user.target" ];
          after = [ "vmc-boot.service" ];
          serviceConfig = {
            ExecStart = "${mvm}/bin/flawless --port 27288 --data /var/lib/vmc/flawless";
            Restart = "on-failure";
          };
        };

        systemd.services.mvm-ci = {
          wantedBy = [ "multi-user.target" ];
          requires = [ "flawless.service" ];
          after = [ "flawless.service" "vmc-boot.service" ];
          environment = { HTTP_PORT = "3020"; FLAWLESS_URL = "http://localhost:27288"; };
          # Hiqlite's members ("<id> <host>:9000 <host>:9001") from vmc.hosts, its node_id from vmc.id
          script = ''
            p() { cat "/run/vmc/params/$1"; }
            i=0; nodes=
            for h in $(p hosts | tr ',' ' '); do
              i=$((i + 1)); nodes="$nodes''${nodes:+,}$i ''${h%%=*}:9000 ''${h%%=*}:9001"
            done
            mkdir -p /var/lib/vmc/hiqlite
            export HQL_NODE_ID=$(p id) HQL_NODES="$nodes" HQL_DATA_DIR=/var/lib/vmc/hiqlite
            export HQL_SECRET_RAFT=$(p hiqlite.secret) HQL_SECRET_API=$(p hiqlite.secret)
            export HQL_LISTEN_ADDR_RAFT=0.0.0.0 HQL_LISTEN_ADDR_API=0.0.0.0
            exec ${mvm}/bin/mvm-ci
          '';
          serviceConfig.Restart = "on-failure";
        };
      };
    in
    {
      packages.${system}.image = vmcluster.lib.mkImage { inherit nixpkgs system; modules = [ node ]; };
    };
}
