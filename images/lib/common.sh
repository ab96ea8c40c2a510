# Sourced by the image scripts (build-image, lock-image, the etcd-test smoke and fresh-machine
# tests): how they speak, and what of each package goes into the image.

# vmc_messages WHO [ERROR_PREFIX]: defines say and die for a script that calls itself WHO.
#   say WORDS...       prints "WHO: WORDS" on stderr
#   die MESSAGE [CODE] prints "WHO: ERROR_PREFIXMESSAGE" on stderr and exits with CODE (default 1)
vmc_messages() {
  vmc_who=$1
  vmc_error_prefix=${2-}
}
say() { echo "${vmc_who:-${0##*/}}: $*" >&2; }
die() { echo "${vmc_who:-${0##*/}}: ${vmc_error_prefix-}$1" >&2; exit "${2:-1}"; }

# vmc_prune DIR PACKAGE: remove from an unpacked package the files the guest never needs.
vmc_prune() {
  local d=$1 pkg=$2
  rm -rf "$d"/usr/share/doc "$d"/usr/share/man "$d"/usr/share/info "$d"/usr/share/locale \
    "$d"/usr/share/lintian "$d"/usr/share/bug "$d"/usr/share/bash-completion "$d"/usr/share/zsh \
    "$d"/usr/share/fish "$d"/usr/share/menu "$d"/usr/share/gdb "$d"/usr/share/apport \
    "$d"/usr/share/doc-base "$d"/usr/share/polkit-1 "$d"/usr/share/initramfs-tools \
    "$d"/etc/init.d "$d"/etc/systemd "$d"/lib/systemd "$d"/usr/lib/systemd "$d"/etc/default \
    "$d"/etc/logrotate.d "$d"/etc/cron.d "$d"/etc/cron.daily "$d"/etc/apparmor.d \
    "$d"/lib/udev "$d"/usr/lib/udev "$d"/etc/udev \
    "$d"/usr/lib/x86_64-linux-gnu/gconv "$d"/usr/lib/x86_64-linux-gnu/audit \
    "$d"/usr/share/lintian
  case $pkg in
    linux-image-*) rm -rf "$d"/lib/modules "$d"/usr/lib/modules "$d"/boot "$d"/usr/lib/linux ;;  # handled by build
    libc6) rm -rf "$d"/usr/share/i18n ;;
    iproute2) rm -f "$d"/usr/lib/x86_64-linux-gnu/tc/q_atm.so ;;  # needs libatm, which nobody wants
  esac
}

# vmc_unpack DEB DIR: unpack a .deb's files into DIR (created), pruned.
vmc_unpack() {
  local deb=$1 dir=$2 pkg
  pkg=$(dpkg-deb -f "$deb" Package)
  mkdir -p "$dir"
  dpkg-deb -x "$deb" "$dir"
  vmc_prune "$dir" "$pkg"
}
