package io.vmcluster.cluster.spec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A cluster definition as written, before validation: what the builder collects and what the
 * YAML loader reads. Values may be missing or wrong; {@link ClusterSpecValidator} says which.
 */
final class ClusterDraft {
    String name = "cluster";
    final NodeDraft defaults = new NodeDraft(null);
    final List<NodeDraft> nodes = new ArrayList<>();
    /** Null means "the default LAN"; an empty list means "no LAN at all". */
    List<LanDraft> lans;

    final List<LinkDraft> links = new ArrayList<>();
    /** Region name to its nodes, as written (empty: no regions). */
    final Map<String, List<String>> regions = new LinkedHashMap<>();

    final List<WanDraft> wan = new ArrayList<>();

    /** Null means "no hosts named": every node on this machine. */
    List<HostDraft> hosts;

    /** A host as written; any field may be missing. */
    record HostDraft(String name, String ssh, String vxlan) {}

    /** A WAN link as written: the two regions and what frames between them go through. */
    record WanDraft(List<String> between, io.vmcluster.fault.Impairment impairment) {}

    static final class NodeDraft {
        String name;
        String image;
        Integer memoryMiB;
        Integer cpus;
        final Map<String, String> params = new LinkedHashMap<>();
        /** Null means "not given here". */
        List<String> kernelArgs;

        String readyCommand;

        /** Null means "not given here". */
        Display display;

        /** The host that runs the node; null means "not given here". */
        String host;

        NodeDraft(String name) {
            this.name = name;
        }
    }

    static final class LanDraft {
        String name;
        String subnet;
        /** Null means every node. */
        List<String> nodes;

        LanDraft(String name, String subnet, List<String> nodes) {
            this.name = name;
            this.subnet = subnet;
            this.nodes = nodes;
        }
    }

    static final class LinkDraft {
        final List<String> between;
        String subnet;

        LinkDraft(List<String> between, String subnet) {
            this.between = between;
            this.subnet = subnet;
        }
    }
}
