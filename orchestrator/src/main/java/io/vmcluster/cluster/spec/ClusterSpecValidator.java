package io.vmcluster.cluster.spec;

import io.vmcluster.network.Ipv4Address;
import io.vmcluster.network.Ipv4Subnet;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns a {@link ClusterDraft} into a {@link ClusterSpec}, or lists every problem with its path in
 * the definition ({@code nodes[1].memory}); the YAML loader maps those paths to file positions.
 */
final class ClusterSpecValidator {
    static final String DEFAULT_IMAGE = "etcd-test";
    static final int DEFAULT_MEMORY_MIB = 512;
    static final int DEFAULT_CPUS = 1;
    static final String DEFAULT_LAN = "lan";
    static final String DEFAULT_SUBNET = "192.168.1.0/24";
    /** The k-th LAN without an explicit subnet gets {@code 192.168.k.0/24}. */
    static final String LAN_SUBNET_PATTERN = "192.168.%d.0/24";
    /** The k-th point-to-point link without an explicit subnet gets {@code 172.30.k.0/24}. */
    static final String LINK_SUBNET_PATTERN = "172.30.%d.0/24";

    /** Names of nodes, LANs and the cluster: they become host names and interface names. */
    static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,30}");
    /** Nodes get host numbers 10+i on a /24 and a MAC byte each: at most 240. */
    static final int MAX_NODES = 240;
    /** Hosts of one cluster; the k-th host's bridges take the LAN's host address minus k. */
    static final int MAX_HOSTS = 10;

    private final List<SpecProblem> problems = new ArrayList<>();

    record Result(ClusterSpec spec, List<SpecProblem> problems) {}

    static Result validate(ClusterDraft draft) {
        return new ClusterSpecValidator().run(draft);
    }

    private Result run(ClusterDraft d) {
        if (d.name == null || !NAME.matcher(d.name).matches()) {
            problem("name", "cluster name '" + d.name + "' must match " + NAME.pattern());
        }
        checkNode("defaults", d.defaults);
        if (d.nodes.isEmpty()) {
            problem("nodes", "a cluster needs at least one node (write `nodes: 3` or a list of nodes)");
        }
        List<NodeSpec> nodes = new ArrayList<>();
        Map<String, Integer> indexByName = new LinkedHashMap<>();
        for (int i = 0; i < d.nodes.size(); i++) {
            ClusterDraft.NodeDraft n = d.nodes.get(i);
            String path = "nodes[" + i + "]";
            if (n.name == null || !NAME.matcher(n.name).matches()) {
                problem(
                        path + ".name",
                        "node name '" + n.name + "' must match " + NAME.pattern()
                                + " (it becomes the guest's host name)");
            } else if (indexByName.putIfAbsent(n.name, i) != null) {
                problem(
                        path + ".name",
                        "node name '" + n.name + "' is used twice (also nodes[" + indexByName.get(n.name) + "])");
            }
            checkNode(path, n);
            Map<String, String> params = new LinkedHashMap<>(d.defaults.params);
            params.putAll(n.params);
            nodes.add(new NodeSpec(
                    n.name == null ? "?" : n.name,
                    i + 1,
                    first(n.image, d.defaults.image, DEFAULT_IMAGE),
                    first(n.memoryMiB, d.defaults.memoryMiB, DEFAULT_MEMORY_MIB),
                    first(n.cpus, d.defaults.cpus, DEFAULT_CPUS),
                    params,
                    kernelArgs(d.defaults.kernelArgs, n.kernelArgs),
                    n.readyCommand != null ? n.readyCommand : d.defaults.readyCommand,
                    n.display != null ? n.display : d.defaults.display));
        }
        List<String> allNames = List.copyOf(indexByName.keySet());

        List<LanSpec> lans = new ArrayList<>();
        List<ClusterDraft.LanDraft> lanDrafts =
                d.lans != null ? d.lans : List.of(new ClusterDraft.LanDraft(DEFAULT_LAN, DEFAULT_SUBNET, null));
        Set<String> lanNames = new HashSet<>();
        for (int i = 0; i < lanDrafts.size(); i++) {
            ClusterDraft.LanDraft l = lanDrafts.get(i);
            String path = "lans[" + i + "]";
            if (l.name == null || !NAME.matcher(l.name).matches()) {
                problem(path + ".name", "LAN name '" + l.name + "' must match " + NAME.pattern());
            } else if (!lanNames.add(l.name)) {
                problem(path + ".name", "LAN name '" + l.name + "' is used twice");
            }
            Ipv4Subnet subnet =
                    subnet(path + ".subnet", l.subnet != null ? l.subnet : String.format(LAN_SUBNET_PATTERN, i + 1));
            List<String> members = l.nodes == null ? allNames : l.nodes;
            Set<String> seen = new HashSet<>();
            for (int j = 0; l.nodes != null && j < members.size(); j++) {
                String m = members.get(j);
                String mpath = path + ".nodes[" + j + "]";
                if (!indexByName.containsKey(m)) {
                    problem(mpath, ClusterSpec.unknownNode(m, allNames));
                } else if (!seen.add(m)) {
                    problem(mpath, "node '" + m + "' is listed twice on LAN " + l.name);
                }
            }
            if (subnet != null) {
                for (String m : members) {
                    Integer idx = indexByName.get(m);
                    if (idx != null && 10 + idx + 1 >= subnet.hostCount()) {
                        problem(
                                path + ".subnet",
                                "subnet " + subnet + " is too small for node " + m
                                        + " (node i gets host number 10+i; id " + (idx + 1) + ")");
                        break;
                    }
                }
                // members in cluster order, so NIC numbering does not depend on list order
                List<String> ordered =
                        allNames.stream().filter(members::contains).toList();
                lans.add(new LanSpec(l.name, subnet, ordered));
            }
        }

        List<LinkSpec> links = new ArrayList<>();
        for (int i = 0; i < d.links.size(); i++) {
            ClusterDraft.LinkDraft l = d.links.get(i);
            String path = "links[" + i + "]";
            if (l.between == null || l.between.size() != 2) {
                problem(path + ".between", "a link joins exactly two nodes, e.g. between: [node1, node2]");
                continue;
            }
            boolean ok = true;
            for (int j = 0; j < 2; j++) {
                if (!indexByName.containsKey(l.between.get(j))) {
                    problem(path + ".between[" + j + "]", ClusterSpec.unknownNode(l.between.get(j), allNames));
                    ok = false;
                }
            }
            if (ok && l.between.get(0).equals(l.between.get(1))) {
                problem(path + ".between", "a link joins two different nodes, not " + l.between.get(0) + " to itself");
                ok = false;
            }
            String subnetText = l.subnet != null ? l.subnet : String.format(LINK_SUBNET_PATTERN, i + 1);
            Ipv4Subnet subnet = subnet(path + ".subnet", subnetText);
            if (ok && subnet != null) {
                links.add(new LinkSpec(l.between.get(0), l.between.get(1), subnet));
            }
        }
        checkOverlaps(lans, links);
        WanSpec wan = wan(d, allNames);
        Placement placement = placement(d, allNames);

        if (!problems.isEmpty()) {
            return new Result(null, List.copyOf(problems));
        }
        return new Result(new ClusterSpec(d.name, nodes, lans, links, wan, placement), List.of());
    }

    /** Regions and WAN links: every node in exactly one region, links between two known regions, once each. */
    private WanSpec wan(ClusterDraft d, List<String> allNames) {
        if (d.regions.isEmpty()) {
            if (!d.wan.isEmpty()) {
                problem(
                        "wan",
                        "wan links join regions, but the cluster has none (add regions: {eu: [node1], us: [node2]})");
            }
            return WanSpec.NONE;
        }
        List<WanSpec.Region> regions = new ArrayList<>();
        Map<String, String> regionOfNode = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> r : d.regions.entrySet()) {
            String path = "regions." + r.getKey();
            if (!NAME.matcher(r.getKey()).matches()) {
                problem(path, "region name '" + r.getKey() + "' must match " + NAME.pattern());
            }
            if (r.getValue().isEmpty()) {
                problem(path, "region " + r.getKey() + " has no nodes; list at least one, e.g. [node1]");
            }
            for (int j = 0; j < r.getValue().size(); j++) {
                String m = r.getValue().get(j);
                String mpath = path + "[" + j + "]";
                if (!allNames.contains(m)) {
                    problem(mpath, ClusterSpec.unknownNode(m, allNames));
                } else {
                    String before = regionOfNode.putIfAbsent(m, r.getKey());
                    if (before != null) {
                        problem(mpath, "node '" + m + "' is in region " + before + " already; a node is in one region");
                    }
                }
            }
            regions.add(new WanSpec.Region(
                    r.getKey(), allNames.stream().filter(r.getValue()::contains).toList()));
        }
        List<String> missing =
                allNames.stream().filter(n -> !regionOfNode.containsKey(n)).toList();
        if (!missing.isEmpty()) {
            problem(
                    "regions",
                    "node" + (missing.size() == 1 ? " " : "s ") + String.join(", ", missing)
                            + (missing.size() == 1 ? " is" : " are") + " in no region; once a cluster has regions, "
                            + "every node is in one (the regions are " + String.join(", ", d.regions.keySet()) + ")");
        }
        List<WanSpec.Link> links = new ArrayList<>();
        List<Integer> linkIndex = new ArrayList<>();
        for (int i = 0; i < d.wan.size(); i++) {
            ClusterDraft.WanDraft w = d.wan.get(i);
            String path = "wan[" + i + "]";
            if (w.between() == null || w.between().size() != 2) {
                problem(path + ".between", "a WAN link joins exactly two regions, e.g. between: [eu, us]");
                continue;
            }
            boolean ok = true;
            for (int j = 0; j < 2; j++) {
                String r = w.between().get(j);
                if (!d.regions.containsKey(r)) {
                    problem(
                            path + ".between[" + j + "]",
                            "unknown region '" + r + "'" + io.vmcluster.yaml.Suggest.didYouMean(r, d.regions.keySet())
                                    + " (the regions are " + String.join(", ", d.regions.keySet()) + ")");
                    ok = false;
                }
            }
            if (ok && w.between().get(0).equals(w.between().get(1))) {
                problem(
                        path + ".between",
                        "a WAN link joins two different regions, not "
                                + w.between().get(0) + " to itself (inside a region the LAN is fast)");
                ok = false;
            }
            for (int k = 0; ok && k < links.size(); k++) {
                if (links.get(k).joins(w.between().get(0), w.between().get(1))) {
                    problem(
                            path + ".between",
                            "regions " + w.between().get(0) + " and "
                                    + w.between().get(1) + " are joined twice (also wan[" + linkIndex.get(k) + "])");
                    ok = false;
                }
            }
            if (ok && w.impairment() != null) {
                links.add(new WanSpec.Link(w.between().get(0), w.between().get(1), w.impairment()));
                linkIndex.add(i);
            }
        }
        return new WanSpec(regions, links);
    }

    /**
     * Hosts and which node each runs: names valid and unique, an SSH address each, a VXLAN
     * endpoint each (the SSH address when it is IPv4) and no two alike, every node on one named
     * host once any host is named, every host with a node.
     */
    private Placement placement(ClusterDraft d, List<String> allNames) {
        List<String> nodeHosts = new ArrayList<>();
        for (ClusterDraft.NodeDraft n : d.nodes) {
            nodeHosts.add(n.host != null ? n.host : d.defaults.host);
        }
        if (d.hosts == null || d.hosts.isEmpty()) {
            String path = d.hosts != null ? "hosts" : null;
            for (int i = 0; i < d.nodes.size(); i++) {
                String h = nodeHosts.get(i);
                if (h != null) {
                    String where = d.nodes.get(i).host != null ? "nodes[" + i + "].host" : "defaults.host";
                    problem(
                            path != null ? path : where,
                            "node " + d.nodes.get(i).name + " is on host " + h + ", but the cluster names no hosts"
                                    + " (add hosts: [{name: " + h + ", ssh: root@ADDRESS}])");
                    break;
                }
            }
            return Placement.LOCAL;
        }
        if (d.hosts.size() > MAX_HOSTS) {
            problem(
                    "hosts[" + MAX_HOSTS + "]",
                    d.hosts.size() + " hosts: at most " + MAX_HOSTS
                            + " (the k-th host's bridges take the LAN's host address minus k)");
        }
        List<HostSpec> hosts = new ArrayList<>();
        Map<String, Integer> hostIndex = new LinkedHashMap<>();
        Map<Ipv4Address, String> endpoints = new LinkedHashMap<>();
        for (int i = 0; i < d.hosts.size(); i++) {
            ClusterDraft.HostDraft h = d.hosts.get(i);
            String path = "hosts[" + i + "]";
            if (h.name() == null) {
                continue; // reported by the loader
            }
            if (!NAME.matcher(h.name()).matches()) {
                problem(path + ".name", "host name '" + h.name() + "' must match " + NAME.pattern());
            } else if (hostIndex.putIfAbsent(h.name(), i) != null) {
                problem(
                        path + ".name",
                        "host name '" + h.name() + "' is used twice (also hosts[" + hostIndex.get(h.name()) + "])");
            }
            if (h.ssh() == null) {
                continue;
            }
            SshTarget ssh;
            try {
                ssh = SshTarget.parse(h.ssh());
            } catch (IllegalArgumentException e) {
                problem(path + ".ssh", e.getMessage());
                continue;
            }
            Ipv4Address endpoint = null;
            if (h.vxlan() != null) {
                try {
                    endpoint = Ipv4Address.parse(h.vxlan());
                } catch (IllegalArgumentException e) {
                    problem(path + ".vxlan", e.getMessage() + " (the host's own address its VXLAN tunnels use)");
                }
            } else {
                try {
                    endpoint = Ipv4Address.parse(ssh.address());
                } catch (IllegalArgumentException e) {
                    problem(
                            path + ".vxlan",
                            "host " + h.name() + " is reached as " + ssh.address() + ", which is no IPv4 address: give"
                                    + " the address its VXLAN tunnels use (vxlan: 10.0.0.5)");
                }
            }
            if (endpoint != null) {
                String before = endpoints.putIfAbsent(endpoint, h.name());
                if (before != null) {
                    problem(
                            path + (h.vxlan() != null ? ".vxlan" : ".ssh"),
                            "host " + h.name() + " has VXLAN endpoint " + endpoint + ", as host " + before
                                    + " has; every host needs its own address");
                }
                hosts.add(new HostSpec(h.name(), ssh, endpoint));
            }
        }
        Map<String, String> hostOfNode = new LinkedHashMap<>();
        List<String> homeless = new ArrayList<>();
        for (int i = 0; i < d.nodes.size(); i++) {
            String node = d.nodes.get(i).name;
            String h = nodeHosts.get(i);
            if (h == null) {
                homeless.add(node);
            } else if (!hostIndex.containsKey(h)) {
                problem(
                        d.nodes.get(i).host != null ? "nodes[" + i + "].host" : "defaults.host",
                        "unknown host '" + h + "'" + io.vmcluster.yaml.Suggest.didYouMean(h, hostIndex.keySet())
                                + " (the hosts are " + String.join(", ", hostIndex.keySet()) + ")");
            } else if (node != null) {
                hostOfNode.put(node, h);
            }
        }
        if (!homeless.isEmpty()) {
            problem(
                    "nodes",
                    "node" + (homeless.size() == 1 ? " " : "s ") + String.join(", ", homeless)
                            + (homeless.size() == 1 ? " is" : " are") + " on no host; once a cluster names hosts, every"
                            + " node says which runs it (host: "
                            + hostIndex.keySet().iterator().next()
                            + ", or defaults: {host: ...}); the hosts are " + String.join(", ", hostIndex.keySet()));
        }
        for (Map.Entry<String, Integer> h : hostIndex.entrySet()) {
            if (homeless.isEmpty() && !hostOfNode.containsValue(h.getKey()) && problems.isEmpty()) {
                problem(
                        "hosts[" + h.getValue() + "]",
                        "host " + h.getKey() + " runs no node; put a node on it (host: " + h.getKey()
                                + ") or remove it");
            }
        }
        return new Placement(hosts, hostOfNode);
    }

    private void checkNode(String path, ClusterDraft.NodeDraft n) {
        if (n.memoryMiB != null && (n.memoryMiB < 64 || n.memoryMiB > 65536)) {
            problem(path + ".memory", "memory " + n.memoryMiB + " MiB is out of range (64 MiB .. 64 GiB)");
        }
        if (n.cpus != null && (n.cpus < 1 || n.cpus > 64)) {
            problem(path + ".cpus", "cpus " + n.cpus + " is out of range (1..64)");
        }
        if (n.image != null && n.image.isBlank()) {
            problem(path + ".image", "image must not be empty (a name such as etcd-test, or a directory)");
        }
        for (Map.Entry<String, String> p : n.params.entrySet()) {
            String ppath = path + ".params." + p.getKey();
            String bad = GuestParams.keyProblem(p.getKey());
            if (bad != null) {
                problem(ppath, bad);
            }
            bad = GuestParams.valueProblem(p.getValue());
            if (bad != null) {
                problem(ppath, bad);
            }
        }
    }

    private void checkOverlaps(List<LanSpec> lans, List<LinkSpec> links) {
        List<String> names = new ArrayList<>();
        List<Ipv4Subnet> subnets = new ArrayList<>();
        List<String> paths = new ArrayList<>();
        for (int i = 0; i < lans.size(); i++) {
            names.add("LAN " + lans.get(i).name());
            subnets.add(lans.get(i).subnet());
            paths.add("lans[" + i + "].subnet");
        }
        for (int i = 0; i < links.size(); i++) {
            names.add("link " + links.get(i).name());
            subnets.add(links.get(i).subnet());
            paths.add("links[" + i + "].subnet");
        }
        for (int i = 0; i < subnets.size(); i++) {
            for (int j = 0; j < i; j++) {
                if (subnets.get(i).overlaps(subnets.get(j))) {
                    problem(
                            paths.get(i),
                            names.get(i) + " (" + subnets.get(i) + ") overlaps " + names.get(j) + " (" + subnets.get(j)
                                    + "); give each LAN and link its own subnet");
                }
            }
        }
    }

    private Ipv4Subnet subnet(String path, String text) {
        try {
            return Ipv4Subnet.parse(text);
        } catch (IllegalArgumentException e) {
            problem(path, e.getMessage());
            return null;
        }
    }

    private void problem(String path, String message) {
        problems.add(new SpecProblem(path, message));
    }

    @SafeVarargs
    private static <T> T first(T... values) {
        for (T v : values) {
            if (v != null) {
                return v;
            }
        }
        throw new IllegalStateException("no default");
    }

    /** The defaults' kernel arguments, then the node's own (a later word wins in the kernel). */
    private static List<String> kernelArgs(List<String> defaults, List<String> own) {
        List<String> out = new ArrayList<>();
        if (defaults != null) out.addAll(defaults);
        if (own != null) out.addAll(own);
        return out;
    }
}
