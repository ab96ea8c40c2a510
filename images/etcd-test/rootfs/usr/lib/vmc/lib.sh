# Sourced by the guest's scripts.
export PATH=/usr/sbin:/usr/bin
export ETCDCTL_API=3

# vmc_param KEY [DEFAULT]: the value of vmc.KEY from the kernel command line (see boot).
vmc_param() {
  if [ -f "/run/vmc/params/$1" ]; then cat "/run/vmc/params/$1"; else printf '%s' "${2:-}"; fi
}

vmc_name() { vmc_param name "$(hostname)"; }

# vmc_own_ip: this node's address: its vmc.hosts entry, else eth0's, else 127.0.0.1.
vmc_own_ip() {
  local n a
  n=$(vmc_name)
  a=$(vmc_param hosts | tr ',' '\n' | sed -n "s/^$n=//p" | head -1)
  [ -z "$a" ] && a=$(ip -4 -o addr show dev eth0 2>/dev/null | awk '{split($4,x,"/"); print x[1]; exit}')
  echo "${a:-127.0.0.1}"
}

vmc_log() { echo "vmc: $*" > /dev/ttyS0 2>/dev/null || echo "vmc: $*" >&2; }
