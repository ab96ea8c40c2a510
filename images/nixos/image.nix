# Evaluates a NixOS system (with the vmcluster module) and outputs an image directory the
# orchestrator boots directly: image.json, vmlinuz (the kernel), initrd.img (netboot initrd: the
# whole system in a squashfs inside the initrd, no disk image). The kernel command line in
# image.json carries init= of the system's toplevel.
{ nixpkgs, system ? "x86_64-linux", modules }:
let
  eval = import "${nixpkgs}/nixos/lib/eval-config.nix" {
    inherit system;
    modules = modules ++ [ "${nixpkgs}/nixos/modules/installer/netboot/netboot.nix" ];
  };
  cfg = eval.config;
  pkgs = eval.pkgs;
  v = cfg.vmcluster;
  services = builtins.mapAttrs
    (name: s: { port = s.port; protocol = if s.port == null then null else s.protocol; })
    v.services;
  manifest = {
    name = v.name;
    version = v.version;
    definitionHash = builtins.substring 0 16 (builtins.hashString "sha256" "${cfg.system.build.toplevel}");
    kernel = "vmlinuz";
    initrd = "initrd.img";
    rootDisk = null;
    cmdline = builtins.concatStringsSep " "
      ([ "init=${cfg.system.build.toplevel}/init" ] ++ cfg.boot.kernelParams);
    minMemoryMiB = v.minMemoryMiB;
    devices = [ "virtio-rng-pci" ];
    dataDisk = { sizeMiB = v.dataDiskMiB; serial = "vmc-data"; };
    channels = {
      console = { device = "hvc0"; };
      ssh = { port = 22; user = "root"; keyParam = "ssh_key"; };
      agent = { name = "org.qemu.guest_agent.0"; };
    };
    readiness = { serialLine = "VMC-READY {name}"; };
    inherit services;
    serviceControl = {
      start = "vmc-svc start {service}";
      stop = "vmc-svc stop {service}";
      restart = "vmc-svc restart {service}";
      status = "vmc-svc status {service}";
    };
    serviceLogs = "/run/vmc/log/{service}.log";
    params = v.params;
  };
in
pkgs.runCommand "vmcluster-image-${v.name}" { } ''
  mkdir -p $out
  cp ${cfg.system.build.kernel}/${cfg.system.boot.loader.kernelFile} $out/vmlinuz
  cp ${cfg.system.build.netbootRamdisk}/initrd $out/initrd.img
  cat > $out/image.json <<'JSON'
  ${builtins.toJSON manifest}
  JSON
''
