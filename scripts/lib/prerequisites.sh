# Host prerequisites of vmcluster, shared by scripts/test and scripts/vmcluster.
# Source this file; call vmc_ensure_packages [--install|--check] PACKAGE...

# Debian packages the tool and its test suite use on the host.
VMC_HOST_PACKAGES=(
  qemu-system-x86   # qemu-system-x86_64
  qemu-utils        # qemu-img (overlays, data disks)
  qemu-guest-agent  # qemu-ga, for the guest-agent client tests on the host
  iproute2          # ip netns, bridges, taps
  nftables          # silent partitions on the bridge
  e2fsprogs         # mkfs.ext4 for data disks
  cpio              # initramfs assembly (GNU cpio >= 2.13: --reproducible)
  xz-utils          # unpacking .deb members
  socat             # images/etcd-test/smoke-test: hvc0 and guest-agent sockets, UDP echo
  openssh-client    # images/etcd-test/smoke-test: ssh into a guest
  busybox-static    # tests: listeners, ping and long-lived children inside test namespaces
  curl
  openjdk-17-jdk-headless
  maven
)

# Debian packages only the test suite uses (scripts/test installs them; the tool does not need them).
VMC_TEST_PACKAGES=(
  chromium          # the report page's tests render it in a real, headless browser
  fonts-dejavu-core # text in the page's screenshots
  nix-bin           # nix-instantiate --parse of images/nixos (nixpkgs cannot be fetched here)
  strace            # ConsoleChannelLocalShellTest: a shell slowed down to read as a guest under TCG does
  tmux              # scripts/test-interactive: shell, console and repl driven as a person types
  openssh-server    # HostsIT: an sshd inside each network namespace that stands for a host (HostsIT starts its own; the package's service is not used)
)

# Prints the packages from the arguments that dpkg does not report installed.
vmc_missing_packages() {
  local p
  for p in "$@"; do
    dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed$' || printf '%s\n' "$p"
  done
}

# vmc_ensure_packages MODE PACKAGE...
#   MODE --install: as root on Debian/Ubuntu, install what is missing (saying so first).
#   MODE --check:   print the apt-get line that would install what is missing; return 3 if any.
vmc_ensure_packages() {
  local mode=$1; shift
  local missing
  missing=$(vmc_missing_packages "$@" | tr '\n' ' ')
  missing=${missing% }
  [ -z "$missing" ] && return 0
  if [ "$mode" = --install ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "vmcluster: installing missing host packages: $missing" >&2
    if [ -z "$(find /var/lib/apt/lists -maxdepth 1 -name '*_Packages*' -print -quit 2>/dev/null)" ]; then
      apt-get update -q >&2 || { echo "vmcluster: apt-get update failed" >&2; return 3; }
    fi
    # shellcheck disable=SC2086
    if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing >&2; then
      apt-get update -q >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing >&2 \
        || { echo "vmcluster: could not install: $missing" >&2; return 3; }
    fi
    return 0
  fi
  echo "vmcluster: this host lacks: $missing" >&2
  echo "  install them with: sudo apt-get install -y $missing" >&2
  return 3
}
