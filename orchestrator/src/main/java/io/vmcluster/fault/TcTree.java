package io.vmcluster.fault;

import io.vmcluster.network.Ipv4Address;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The whole tc qdisc tree of one device, rendered from the impairments active on it. The tree is
 * always rebuilt from scratch, so removing an impairment restores exactly what the others need
 * (and no impairment at all restores the device's default qdisc).
 *
 * <p>One impairment for all traffic: {@code root netem}. Otherwise a {@code prio} root whose
 * extra bands each hold one netem, fed by a u32 filter on the peer's IPv4 address (most specific
 * first; an all-traffic entry is the last filter). Frames no filter matches (ARP, other peers)
 * go through the prio's ordinary bands untouched.
 */
final class TcTree {
    /** prio takes at most 16 bands; 3 are the ordinary ones. */
    static final int MAX_ENTRIES = 13;

    /** Which frames an entry takes: all, or IPv4 with this source or destination address. */
    record Match(String field, Ipv4Address ipv4) {
        Match {
            if (!field.equals("src") && !field.equals("dst")) {
                throw new IllegalArgumentException("match field must be src or dst, got " + field);
            }
            java.util.Objects.requireNonNull(ipv4, "ipv4");
        }
    }

    record Entry(Impairment impairment, Optional<Match> match) {
        Entry {
            Objects.requireNonNull(impairment, "impairment");
            match = match == null ? Optional.empty() : match;
        }
    }

    private TcTree() {}

    /** The command that removes whatever root qdisc the device has (fails harmlessly if none). */
    static String deleteRoot(String device) {
        return "qdisc del dev " + device + " root";
    }

    /**
     * The tc commands (without the leading {@code tc}) that build the tree for {@code entries} on a
     * device whose root has just been deleted. Empty entries give no commands.
     */
    static List<String> build(String device, List<Entry> entries) {
        List<String> out = new ArrayList<>();
        if (entries.isEmpty()) {
            return out;
        }
        if (entries.size() > MAX_ENTRIES) {
            throw new IllegalArgumentException("at most " + MAX_ENTRIES + " impairments can share one NIC (" + device
                    + "), got " + entries.size());
        }
        if (entries.size() == 1 && entries.get(0).match().isEmpty()) {
            out.add("qdisc add dev " + device + " root handle 1: netem " + args(entries.get(0)));
            return out;
        }
        List<Entry> ordered = new ArrayList<>(entries);
        ordered.sort((a, b) -> Boolean.compare(a.match().isEmpty(), b.match().isEmpty()));
        long catchAll = ordered.stream().filter(e -> e.match().isEmpty()).count();
        if (catchAll > 1) {
            throw new IllegalArgumentException(
                    "two impairments of all traffic on " + device + "; close the first before applying another");
        }
        out.add("qdisc add dev " + device + " root handle 1: prio bands " + (3 + ordered.size())
                + " priomap 1 2 2 2 1 2 0 0 1 1 1 1 1 1 1 1");
        for (int i = 0; i < ordered.size(); i++) {
            Entry e = ordered.get(i);
            String band = Integer.toHexString(4 + i);
            out.add("qdisc add dev " + device + " parent 1:" + band + " handle " + Integer.toHexString(0x10 + i)
                    + ": netem " + args(e));
            int prio = i + 1;
            String match = e.match()
                    .map(m -> "protocol ip prio " + prio + " u32 match ip " + m.field() + " " + m.ipv4() + "/32")
                    .orElse("protocol all prio 100 u32 match u32 0 0");
            out.add("filter add dev " + device + " parent 1: " + match + " flowid 1:" + band);
        }
        return out;
    }

    private static String args(Entry e) {
        return String.join(" ", e.impairment().netemArgs());
    }
}
