# The vmcluster image contract (images/README.md) for a NixOS system. Enable it and declare
# the services the orchestrator may control; everything else is the contract:
#   - params: every vmc.KEY=VALUE of the kernel command line -> /run/vmc/params/KEY (the image's
#     defaults first); hostname from vmc.name, /etc/hosts from vmc.hosts, NIC addresses from
#     vmc.addrs (by MAC) or vmc.ip (eth0), vmc.gateway, root's ssh key from vmc.ssh_key
#   - a root login shell on hvc0 (respawned), prompt "<name># "
#   - the data disk (virtio serial vmc-data): ext4 when blank, mounted at /var/lib/vmc
#   - "VMC-READY <name>" on ttyS0 once the listed units are active and their TCP ports listen
#   - vmc-svc start|stop|restart|status|list NAME mapped to systemctl (exit 0 / 3 / 1 / 2)
#   - service logs in /run/vmc/log/NAME.log; the ACPI power button powers off (logind default)
#   - qemu-ga on org.qemu.guest_agent.0, sshd on 22 (keys only)
# NOT YET BUILT IN CI (nixpkgs cannot be fetched there): parse-checked only; accept what it
# builds with `vmcluster image check DIR`.
{ config, lib, pkgs, ... }:
let
  inherit (lib) mkOption mkEnableOption mkIf types concatStringsSep mapAttrsToList filterAttrs;
  cfg = config.vmcluster;

  serviceType = types.submodule ({ name, ... }: {
    options = {
      unit = mkOption {
        type = types.str;
        default = "${name}.service";
        description = "The systemd unit vmc-svc controls for this service.";
      };
      port = mkOption {
        type = types.nullOr types.port;
        default = null;
        description = "The service's network port (null: none).";
      };
      protocol = mkOption {
        type = types.enum [ "tcp" "udp" ];
        default = "tcp";
      };
    };
  });

  tcpPorts = mapAttrsToList (n: s: toString s.port)
    (filterAttrs (n: s: s.port != null && s.protocol == "tcp") cfg.services);

  # "NAME UNIT" lines: what vmc-svc maps names to
  unitMap = pkgs.writeText "vmc-units" (concatStringsSep "\n"
    (mapAttrsToList (n: s: "${n} ${s.unit}") cfg.services) + "\n");

  defaults = pkgs.runCommand "vmc-param-defaults" { } (''
    mkdir -p $out
  '' + concatStringsSep "\n" (mapAttrsToList (k: v: "printf %s ${lib.escapeShellArg v} > $out/${lib.escapeShellArg k}") cfg.params));

  vmc-svc = pkgs.writeShellScriptBin "vmc-svc" ''
    # vmc-svc start|stop|restart|status NAME | vmc-svc list (the contract's exit codes)
    usage() { echo "usage: vmc-svc start|stop|restart|status NAME | vmc-svc list" >&2; exit 2; }
    unit_of() { ${pkgs.gawk}/bin/awk -v n="$1" '$1 == n { print $2 }' ${unitMap}; }
    status() {
      if ${pkgs.systemd}/bin/systemctl is-active --quiet "$2"; then echo "$1 running"; return 0; fi
      echo "$1 stopped"; return 3
    }
    [ $# -ge 1 ] || usage
    if [ "$1" = list ]; then
      while read -r n u; do [ -n "$n" ] && status "$n" "$u"; done < ${unitMap}
      exit 0
    fi
    [ $# -eq 2 ] || usage
    u=$(unit_of "$2")
    [ -n "$u" ] || { echo "vmc-svc: unknown service '$2'" >&2; exit 2; }
    case $1 in
      start|stop|restart) ${pkgs.systemd}/bin/systemctl "$1" "$u" || exit 1; [ "$1" = stop ] && { echo "$2 stopped"; exit 0; }; status "$2" "$u" ;;
      status) status "$2" "$u" ;;
      *) usage ;;
    esac
  '';

  boot-script = pkgs.writeShellScript "vmc-boot" ''
    set -u
    export PATH=${lib.makeBinPath [ pkgs.coreutils pkgs.iproute2 pkgs.gnugrep pkgs.gnused pkgs.e2fsprogs pkgs.util-linux pkgs.nettools ]}
    log() { echo "vmc: $*" > /dev/ttyS0; }
    mkdir -p /run/vmc/params /run/vmc/log
    cp ${defaults}/* /run/vmc/params/ 2>/dev/null || true
    for w in $(cat /proc/cmdline); do
      case $w in vmc.*=*) k=''${w%%=*}; k=''${k#vmc.}; printf '%s' "''${w#*=}" > "/run/vmc/params/$k" ;; esac
    done
    p() { cat "/run/vmc/params/$1" 2>/dev/null; }
    name=$(p name); name=''${name:-vmc}
    hostname "$name"
    { echo "127.0.0.1 localhost"; echo "::1 localhost"
      for h in $(p hosts | tr ',' ' '); do echo "''${h#*=} ''${h%%=*}"; done; } > /etc/hosts
    grep -q " $name\$" /etc/hosts || echo "127.0.1.1 $name" >> /etc/hosts
    if [ -n "$(p addrs)" ]; then
      for e in $(p addrs | tr ',' ' '); do
        mac=$(echo "''${e%%=*}" | tr 'A-F' 'a-f')
        for n in /sys/class/net/*; do
          [ "$(cat "$n/address")" = "$mac" ] && { ip addr add "''${e#*=}" dev "''${n##*/}"; ip link set "''${n##*/}" up; }
        done
      done
    elif [ -n "$(p ip)" ]; then
      ip addr add "$(p ip)" dev eth0 && ip link set eth0 up
    fi
    [ -n "$(p gateway)" ] && ip route add default via "$(p gateway)"
    mkdir -p /root/.ssh && chmod 700 /root/.ssh
    [ -n "$(p ssh_key)" ] && { p ssh_key | base64 -d > /root/.ssh/authorized_keys; chmod 600 /root/.ssh/authorized_keys; }
    disk=
    for b in /sys/block/vd*; do [ "$(cat "$b/serial" 2>/dev/null)" = vmc-data ] && disk=/dev/''${b##*/}; done
    mkdir -p /var/lib/vmc
    if [ -n "$disk" ]; then
      if ! blkid -t TYPE=ext4 "$disk" >/dev/null && cmp -s -n 1048576 "$disk" /dev/zero; then
        log "formatting blank data disk $disk"; mkfs.ext4 -q -F -L vmc-data "$disk"
      fi
      mount -t ext4 -o noatime "$disk" /var/lib/vmc || log "cannot mount data disk $disk: state is NOT persistent"
    else
      log "no data disk (virtio-blk serial vmc-data): state is NOT persistent"
    fi
  '';

  ready-script = pkgs.writeShellScript "vmc-ready" ''
    export PATH=${lib.makeBinPath [ pkgs.coreutils pkgs.iproute2 pkgs.gnugrep ]}
    for i in $(seq 120); do
      missing=
      for port in ${concatStringsSep " " (map toString cfg.readinessPorts)}; do
        ss -Hltn "sport = :$port" | grep -q . || missing="$missing $port"
      done
      [ -z "$missing" ] && break
      sleep 0.25
    done
    [ -n "$missing" ] && echo "vmc: ports not listening after 30 s:$missing (announcing readiness anyway)" > /dev/ttyS0
    echo "vmc: services up at uptime $(cut -d' ' -f1 /proc/uptime) s" > /dev/ttyS0
    echo "VMC-READY $(cat /run/vmc/params/name 2>/dev/null || hostname)" > /dev/ttyS0
  '';
in
{
  options.vmcluster = {
    enable = mkEnableOption "the vmcluster image contract";
    name = mkOption { type = types.str; description = "The image's name (image.json)."; };
    version = mkOption { type = types.str; default = "1"; };
    services = mkOption {
      type = types.attrsOf serviceType;
      default = { };
      description = "The services of the image's service map: name -> systemd unit and port.";
    };
    params = mkOption {
      type = types.attrsOf types.str;
      default = { };
      description = "The vmc.KEY params the image understands, with their defaults.";
    };
    minMemoryMiB = mkOption { type = types.int; default = 512; };
    dataDiskMiB = mkOption { type = types.int; default = 256; };
    readinessPorts = mkOption {
      type = types.listOf types.port;
      default = map lib.toInt tcpPorts ++ [ 22 ];
      description = "TCP ports that must listen before VMC-READY (default: every TCP service's, and sshd's).";
    };
  };

  config = mkIf cfg.enable {
    boot.kernelParams = [ "console=ttyS0" "panic=-1" "loglevel=4" "no_timer_check" "random.trust_cpu=on" ];
    boot.initrd.availableKernelModules = [ "virtio_pci" "virtio_blk" "virtio_net" "virtio_console" "virtio_rng" ];
    boot.kernelModules = [ "sch_netem" "sch_tbf" "sch_htb" "sch_prio" "cls_u32" "cls_matchall" "button" "evdev" ];
    networking.hostName = "";            # set at boot from vmc.name
    networking.useDHCP = false;
    networking.firewall.enable = false;  # faults are the orchestrator's business
    environment.etc.hosts.mode = "0644"; # written at boot from vmc.hosts
    environment.systemPackages = [ vmc-svc pkgs.iproute2 pkgs.busybox ];

    services.openssh = {
      enable = true;
      ports = [ 22 ];
      settings.PasswordAuthentication = false;
      settings.PermitRootLogin = "prohibit-password";
    };
    services.qemuGuest.enable = true;
    services.logind.powerKey = "poweroff";

    vmcluster.services = {
      sshd = { unit = "sshd.service"; port = 22; };
      qemu-ga = { unit = "qemu-guest-agent.service"; };
    };

    systemd.services = lib.mkMerge [
      {
        vmc-boot = {
          description = "vmcluster: params, hostname, /etc/hosts, NICs, ssh key, data disk";
          wantedBy = [ "sysinit.target" ];
          before = [ "network-pre.target" "sshd.service" ];
          after = [ "systemd-modules-load.service" ];
          unitConfig.DefaultDependencies = false;
          serviceConfig = { Type = "oneshot"; RemainAfterExit = true; ExecStart = boot-script; };
        };

        vmc-console = {
          description = "vmcluster: root shell on hvc0";
          wantedBy = [ "multi-user.target" ];
          after = [ "vmc-boot.service" ];
          environment = { HOME = "/root"; };
          script = ''
            export PS1="$(hostname)# "
            cd /root
            exec ${pkgs.bash}/bin/sh -l
          '';
          serviceConfig = {
            StandardInput = "tty";
            StandardOutput = "tty";
            TTYPath = "/dev/hvc0";
            TTYReset = true;
            Restart = "always";
          };
        };

        vmc-ready = {
          description = "vmcluster: VMC-READY on ttyS0";
          wantedBy = [ "multi-user.target" ];
          after = [ "vmc-boot.service" ] ++ mapAttrsToList (n: s: s.unit) cfg.services;
          serviceConfig = { Type = "oneshot"; RemainAfterExit = true; ExecStart = ready-script; };
        };

      }
      # every mapped unit logs where the contract says (serviceLogs: /run/vmc/log/NAME.log)
      (lib.mapAttrs'
        (n: s: lib.nameValuePair (lib.removeSuffix ".service" s.unit) {
          serviceConfig.StandardOutput = "append:/run/vmc/log/${n}.log";
          serviceConfig.StandardError = "append:/run/vmc/log/${n}.log";
        })
        cfg.services)
    ];
  };
}
