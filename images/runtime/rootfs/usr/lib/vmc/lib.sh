# Sourced by the guest's scripts.
export PATH=/usr/sbin:/usr/bin
# what an image adds to every shell's environment (e.g. ETCDCTL_API=3)
for _f in /etc/profile.d/*.sh; do [ -r "$_f" ] && . "$_f"; done
unset _f

# vmc_param KEY [DEFAULT]: the value of vmc.KEY from the kernel command line, else the image's
# default for it (both in /run/vmc/params, see boot), else DEFAULT.
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

# vmc_wait_services NAME...: wait (at most 30 s) until each service runs and, when it has a TCP
# port, the port listens: the depends_on of a service.
vmc_wait_services() {
  local s port i
  for s in "$@"; do
    i=0
    while ! vmc-svc status "$s" >/dev/null 2>&1 || { port=$(sed -n "s/^$s //p" /etc/vmc/ports 2>/dev/null); [ -n "$port" ] && ! vmc_listening "$port"; }; do
      i=$((i + 1))
      if [ $i -gt 120 ]; then vmc_log "$s (a dependency) not up after 30 s: starting anyway"; break; fi
      sleep 0.25
    done
  done
}

# vmc_listening PORT: whether something listens on TCP PORT.
vmc_listening() {
  awk -v want="$(printf '%04X' "$1")" 'FNR > 1 && $4 == "0A" { split($2, a, ":"); if (a[2] == want) f = 1 } END { exit !f }' \
    /proc/net/tcp /proc/net/tcp6 2>/dev/null
}
