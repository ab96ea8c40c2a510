package io.vmcluster.cluster.spec;

import io.vmcluster.fault.Impairment;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Regions of a cluster and the wide-area links between them (docs/clusters.md, "Regions and WAN
 * latency"): inside a region the LAN is as fast as ever; a frame from a node of one region to a
 * node of another goes through the link's {@link Impairment}, in each direction. A delay is
 * one-way, as in the {@code impair} fault, so a 40 ms link gives an 80 ms round trip. Region
 * pairs without a link are not impaired.
 *
 * @param regions every region with its nodes; empty when the cluster has no regions (then every
 *     node shares one fast LAN, as before)
 * @param links the impaired region pairs
 */
public record WanSpec(List<Region> regions, List<Link> links) {
    /** No regions: the cluster is one fast LAN. */
    public static final WanSpec NONE = new WanSpec(List.of(), List.of());

    public WanSpec {
        regions = List.copyOf(regions);
        links = List.copyOf(links);
    }

    /**
     * A region: a name and the nodes in it.
     *
     * @param name the region's name ({@code eu})
     * @param nodes its nodes, in cluster order
     */
    public record Region(String name, List<String> nodes) {
        public Region {
            Objects.requireNonNull(name, "name");
            nodes = List.copyOf(nodes);
        }
    }

    /**
     * The impairment between two regions, applied to what each sends to the other.
     *
     * @param a one region
     * @param b the other region
     * @param impairment what frames between them go through, in each direction
     */
    public record Link(String a, String b, Impairment impairment) {
        public Link {
            Objects.requireNonNull(a, "a");
            Objects.requireNonNull(b, "b");
            Objects.requireNonNull(impairment, "impairment");
        }

        /** Whether this link joins {@code x} and {@code y}, in either order. */
        public boolean joins(String x, String y) {
            return (a.equals(x) && b.equals(y)) || (a.equals(y) && b.equals(x));
        }

        /** A display name, {@code eu<->us}. */
        public String name() {
            return a + "<->" + b;
        }
    }

    /**
     * One direction of one node pair across a WAN link: what {@code from} sends to {@code to}.
     *
     * @param from the sending node
     * @param to the receiving node
     * @param link the region link the pair crosses
     */
    public record Route(String from, String to, Link link) {}

    /** Whether the cluster has regions at all. */
    public boolean isEmpty() {
        return regions.isEmpty();
    }

    /** The region {@code node} is in, if the cluster has regions. */
    public Optional<Region> regionOf(String node) {
        return regions.stream().filter(r -> r.nodes().contains(node)).findFirst();
    }

    /** The region called {@code name}, or an exception listing the valid names. */
    public Region region(String name) {
        return regions.stream()
                .filter(r -> r.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown region '" + name + "'; the regions are "
                        + String.join(", ", regions.stream().map(Region::name).toList())));
    }

    /** The link between two regions, if there is one. */
    public Optional<Link> link(String a, String b) {
        return links.stream().filter(l -> l.joins(a, b)).findFirst();
    }

    /** This WAN with the link between {@code a} and {@code b} set to {@code impairment} (added or replaced). */
    public WanSpec withLink(String a, String b, Impairment impairment) {
        region(a);
        region(b);
        if (a.equals(b)) {
            throw new IllegalArgumentException("a WAN link joins two different regions, not " + a + " to itself");
        }
        List<Link> out = new ArrayList<>();
        boolean replaced = false;
        for (Link l : links) {
            if (l.joins(a, b)) {
                out.add(new Link(l.a(), l.b(), impairment));
                replaced = true;
            } else {
                out.add(l);
            }
        }
        if (!replaced) {
            out.add(new Link(a, b, impairment));
        }
        return new WanSpec(regions, out);
    }

    /** This WAN without the link between {@code a} and {@code b} (those regions as fast as a LAN). */
    public WanSpec withoutLink(String a, String b) {
        region(a);
        region(b);
        return new WanSpec(regions, links.stream().filter(l -> !l.joins(a, b)).toList());
    }

    /** Every directed node pair a link impairs: both directions of each pair across each link. */
    public List<Route> routes() {
        List<Route> out = new ArrayList<>();
        for (Link l : links) {
            Region a = region(l.a());
            Region b = region(l.b());
            for (String x : a.nodes()) {
                for (String y : b.nodes()) {
                    out.add(new Route(x, y, l));
                    out.add(new Route(y, x, l));
                }
            }
        }
        return out;
    }
}
