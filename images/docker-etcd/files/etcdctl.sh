# etcdctl speaks the v3 API (etcd 3.4 defaults to v2 for etcdctl)
export ETCDCTL_API=3
