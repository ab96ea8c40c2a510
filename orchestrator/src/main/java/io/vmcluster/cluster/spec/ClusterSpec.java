package io.vmcluster.cluster.spec;

import io.vmcluster.network.InterfaceName;
import io.vmcluster.network.Ipv4Address;
import io.vmcluster.network.Ipv4Subnet;
import io.vmcluster.network.MacAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A validated cluster definition: nodes, LANs and point-to-point links, with every address, MAC
 * and interface name derived from it deterministically (see docs/clusters.md). Build one with
 * {@link #builder()} or read one with {@link ClusterSpecLoader}.
 *
 * <pre>{@code
 * ClusterSpec spec = ClusterSpec.builder()
 *         .nodes(3)
 *         .defaults(d -> d.memoryMiB(512).param("jobq.mode", "replicated"))
 *         .build();
 * }</pre>
 *
 * @param name cluster name (used in logs and the run directory)
 * @param nodes the nodes, in id order (node with id i at index i-1)
 * @param lans the LANs (possibly none)
 * @param links the point-to-point links
 * @param wan the regions and the WAN links between them ({@link WanSpec#NONE}: one fast LAN)
 * @param placement which host runs which node ({@link Placement#LOCAL}: all on this machine)
 */
public record ClusterSpec(
        String name, List<NodeSpec> nodes, List<LanSpec> lans, List<LinkSpec> links, WanSpec wan, Placement placement) {
    public ClusterSpec {
        nodes = List.copyOf(nodes);
        lans = List.copyOf(lans);
        links = List.copyOf(links);
        java.util.Objects.requireNonNull(wan, "wan");
        java.util.Objects.requireNonNull(placement, "placement");
    }

    /** A cluster on this machine alone. */
    public ClusterSpec(String name, List<NodeSpec> nodes, List<LanSpec> lans, List<LinkSpec> links, WanSpec wan) {
        this(name, nodes, lans, links, wan, Placement.LOCAL);
    }

    /** A cluster without regions. */
    public ClusterSpec(String name, List<NodeSpec> nodes, List<LanSpec> lans, List<LinkSpec> links) {
        this(name, nodes, lans, links, WanSpec.NONE);
    }

    /** The same cluster with every node's screen set to {@code value} ({@code up --display vnc}). */
    public ClusterSpec withDisplay(Display value) {
        return new ClusterSpec(
                name, nodes.stream().map(n -> n.withDisplay(value)).toList(), lans, links, wan, placement);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The node called {@code name}, or an exception listing the valid names. */
    public NodeSpec node(String name) {
        return nodes.stream()
                .filter(n -> n.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException(unknownNode(name, nodeNames())));
    }

    /** The message for a node name that is not one of {@code valid}: it lists the valid ones. */
    public static String unknownNode(String name, List<String> valid) {
        return "unknown node '" + name + "'; the nodes are " + String.join(", ", valid);
    }

    public List<String> nodeNames() {
        return nodes.stream().map(NodeSpec::name).toList();
    }

    /**
     * Every bridge the network has to build: LANs first (numbered 1..), then links. MACs are
     * {@code 52:54:00:<segment number>:00:<node id>}, taps and bridges are named by
     * {@link InterfaceName#tap} ({@code t-node1-0}) and {@link InterfaceName#bridge} ({@code br-lan}).
     */
    public List<Segment> segments() {
        List<Segment> segments = new ArrayList<>();
        int number = 0;
        for (LanSpec lan : lans) {
            number++;
            List<NicSpec> nics = new ArrayList<>();
            for (String member : lan.nodes()) {
                NodeSpec n = node(member);
                nics.add(nic(n, number, lan.name(), lan.subnet(), lan.subnet().host(10 + n.id())));
            }
            segments.add(new Segment(
                    lan.name(),
                    Segment.Kind.LAN,
                    number,
                    InterfaceName.bridge(lan.name()).value(),
                    lan.subnet(),
                    Optional.of(lan.subnet().lastHost()),
                    nics));
        }
        for (LinkSpec link : links) {
            number++;
            List<NicSpec> nics = List.of(
                    nic(
                            node(link.a()),
                            number,
                            link.name(),
                            link.subnet(),
                            link.subnet().host(1)),
                    nic(
                            node(link.b()),
                            number,
                            link.name(),
                            link.subnet(),
                            link.subnet().host(2)));
            segments.add(new Segment(
                    link.name(),
                    Segment.Kind.LINK,
                    number,
                    InterfaceName.bridge(link.name()).value(),
                    link.subnet(),
                    Optional.empty(),
                    nics));
        }
        return renumberNics(segments);
    }

    /** The NICs of one node, in guest order (eth0 first): its LANs in definition order, then links. */
    public List<NicSpec> nics(String nodeName) {
        node(nodeName);
        return segments().stream()
                .flatMap(s -> s.nics().stream())
                .filter(n -> n.node().equals(nodeName))
                .toList();
    }

    private static NicSpec nic(NodeSpec n, int segment, String segmentName, Ipv4Subnet subnet, Ipv4Address address) {
        // index and names are fixed by renumberNics once all segments are known
        return new NicSpec(n.name(), -1, segmentName, MacAddress.qemu(segment, 0, n.id()), address, subnet, "", "", "");
    }

    private List<Segment> renumberNics(List<Segment> segments) {
        int[] next = new int[nodes.size() + 1];
        List<Segment> out = new ArrayList<>();
        for (Segment s : segments) {
            List<NicSpec> nics = new ArrayList<>();
            for (NicSpec n : s.nics()) {
                int id = node(n.node()).id();
                int index = next[id]++;
                nics.add(new NicSpec(
                        n.node(),
                        index,
                        n.segment(),
                        n.mac(),
                        n.address(),
                        n.subnet(),
                        "nic" + index,
                        "net" + index,
                        InterfaceName.tap(n.node(), index).value()));
            }
            out.add(new Segment(s.name(), s.kind(), s.number(), s.bridgeName(), s.subnet(), s.hostAddress(), nics));
        }
        return out;
    }

    /** Collects a definition in code; {@link #build()} validates it like the YAML loader does. */
    public static final class Builder {
        private final ClusterDraft draft = new ClusterDraft();

        private Builder() {}

        /** Cluster name (default {@code cluster}). */
        public Builder name(String name) {
            draft.name = name;
            return this;
        }

        /** Adds {@code count} nodes named {@code node<id>} with the defaults. */
        public Builder nodes(int count) {
            for (int i = 0; i < count; i++) {
                draft.nodes.add(new ClusterDraft.NodeDraft("node" + (draft.nodes.size() + 1)));
            }
            return this;
        }

        /** Adds one node with the defaults. */
        public Builder node(String name) {
            return node(name, n -> {});
        }

        /** Adds one node, configured by {@code config}. */
        public Builder node(String name, Consumer<NodeOptions> config) {
            ClusterDraft.NodeDraft n = new ClusterDraft.NodeDraft(name);
            config.accept(new NodeOptions(n));
            draft.nodes.add(n);
            return this;
        }

        /** Settings every node gets unless it sets its own; params are merged (the node's win). */
        public Builder defaults(Consumer<NodeOptions> config) {
            config.accept(new NodeOptions(draft.defaults));
            return this;
        }

        /** Adds a LAN with the given nodes (none given: every node). Replaces the default LAN. */
        public Builder lan(String name, String subnet, String... nodes) {
            return lan(name, subnet, nodes.length == 0 ? null : Arrays.asList(nodes));
        }

        /** Adds a LAN with the given nodes ({@code null}: every node). Replaces the default LAN. */
        public Builder lan(String name, String subnet, Collection<String> nodes) {
            if (draft.lans == null) {
                draft.lans = new ArrayList<>();
            }
            draft.lans.add(new ClusterDraft.LanDraft(name, subnet, nodes == null ? null : List.copyOf(nodes)));
            return this;
        }

        /** No LAN at all (nodes reachable through links or their console only). */
        public Builder noLans() {
            draft.lans = new ArrayList<>();
            return this;
        }

        /** A point-to-point link on {@code 172.30.<k>.0/24} for the k-th link. */
        public Builder link(String a, String b) {
            return link(a, b, null);
        }

        /** A point-to-point link on the given subnet ({@code a} gets host 1, {@code b} host 2). */
        public Builder link(String a, String b, String subnet) {
            draft.links.add(new ClusterDraft.LinkDraft(List.of(a, b), subnet));
            return this;
        }

        /**
         * Puts {@code nodes} in region {@code name} (docs/clusters.md, "Regions and WAN latency").
         * Once any region is given, every node must be in exactly one.
         */
        public Builder region(String name, String... nodes) {
            draft.regions.put(name, List.of(nodes));
            return this;
        }

        /** Frames between regions {@code a} and {@code b} go through {@code impairment}, each way. */
        public Builder wan(String a, String b, io.vmcluster.fault.Impairment impairment) {
            draft.wan.add(new ClusterDraft.WanDraft(List.of(a, b), impairment));
            return this;
        }

        /**
         * Names a host that runs some nodes (docs/scale-out.md, "One cluster over several hosts");
         * once any host is named, every node needs one ({@link NodeOptions#host}).
         *
         * @param ssh {@code [user@]address[:port]}
         * @param vxlanEndpoint the host's VXLAN address, or null for the SSH address
         */
        public Builder host(String name, String ssh, String vxlanEndpoint) {
            if (draft.hosts == null) {
                draft.hosts = new ArrayList<>();
            }
            draft.hosts.add(new ClusterDraft.HostDraft(name, ssh, vxlanEndpoint));
            return this;
        }

        /**
         * Validates and returns the spec.
         *
         * @throws InvalidClusterSpecException listing every problem
         */
        public ClusterSpec build() {
            ClusterSpecValidator.Result r = ClusterSpecValidator.validate(draft);
            if (!r.problems().isEmpty()) {
                throw new InvalidClusterSpecException(
                        "(built in code)",
                        r.problems().stream().map(SpecProblem::toString).toList());
            }
            return r.spec();
        }
    }

    /** Settings of one node (or of the defaults). */
    public static final class NodeOptions {
        private final ClusterDraft.NodeDraft node;

        NodeOptions(ClusterDraft.NodeDraft node) {
            this.node = node;
        }

        /** Image name (in the image cache) or an image directory. */
        public NodeOptions image(String image) {
            node.image = image;
            return this;
        }

        public NodeOptions memoryMiB(int mib) {
            node.memoryMiB = mib;
            return this;
        }

        public NodeOptions cpus(int cpus) {
            node.cpus = cpus;
            return this;
        }

        /** The host (of {@link Builder#host}) that runs the node. */
        public NodeOptions host(String host) {
            node.host = host;
            return this;
        }

        /** A guest parameter, {@code vmc.<key>=<value>} on the kernel command line. */
        public NodeOptions param(String key, String value) {
            node.params.put(key, value);
            return this;
        }
    }
}
