package io.vmcluster.cluster.spec;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The {@code vmc.*} kernel parameters of one node, per the image contract: identity, addresses,
 * the hosts table, the SSH key and the user's parameters.
 */
public final class GuestParams {
    /** Parameters the runtime sets itself; a user's parameter may not take these names. */
    public static final Set<String> RESERVED = Set.of("name", "id", "ip", "addrs", "hosts", "ssh_key");

    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]*");

    private GuestParams() {}

    /**
     * What is wrong with a user parameter's name, or null when it is fine: it must match
     * {@code [A-Za-z0-9_][A-Za-z0-9_.-]*} and not be one of the {@link #RESERVED} names.
     */
    public static String keyProblem(String key) {
        if (!KEY.matcher(key).matches()) {
            return "parameter name '" + key + "' must match " + KEY.pattern();
        }
        if (RESERVED.contains(key)) {
            return "parameter '" + key + "' is set by vmcluster itself (reserved: "
                    + String.join(", ", new TreeSet<>(RESERVED)) + ")";
        }
        return null;
    }

    /**
     * What is wrong with a parameter's value, or null when it is fine: it goes on the kernel
     * command line as one word, so it must be non-empty, without white space or quotes.
     */
    public static String valueProblem(String value) {
        if (value == null || value.isEmpty() || value.chars().anyMatch(c -> Character.isWhitespace(c) || c == '"')) {
            return "parameter value '" + value
                    + "' must be non-empty without spaces or quotes (it goes on the kernel command line)";
        }
        return null;
    }

    /**
     * Parameters without the {@code vmc.} prefix, in command-line order.
     *
     * @param sshKeyBase64 base64 of one authorized_keys line, or null for none
     */
    public static Map<String, String> of(ClusterSpec spec, String nodeName, String sshKeyBase64) {
        NodeSpec node = spec.node(nodeName);
        List<NicSpec> nics = spec.nics(nodeName);
        Map<String, String> p = new LinkedHashMap<>();
        p.put("name", node.name());
        p.put("id", Integer.toString(node.id()));
        if (!nics.isEmpty()) {
            p.put("ip", nics.get(0).cidr());
            p.put("addrs", nics.stream().map(n -> n.mac() + "=" + n.cidr()).collect(Collectors.joining(",")));
        }
        String hosts = hosts(spec, nodeName);
        if (!hosts.isEmpty()) {
            p.put("hosts", hosts);
        }
        if (sshKeyBase64 != null) {
            p.put("ssh_key", sshKeyBase64);
        }
        p.putAll(node.params());
        return p;
    }

    /** Everything as {@code vmc.key=value} words, joined by spaces. */
    public static String commandLine(Map<String, String> params) {
        return params.entrySet().stream()
                .map(e -> "vmc." + e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(" "));
    }

    /**
     * The hosts table as {@code node} sees it: every node with an address, at the address on a
     * segment it shares with {@code node} if there is one, else its first address.
     */
    static String hosts(ClusterSpec spec, String nodeName) {
        Set<String> mine = spec.nics(nodeName).stream().map(NicSpec::segment).collect(Collectors.toSet());
        StringBuilder sb = new StringBuilder();
        for (NodeSpec other : spec.nodes()) {
            List<NicSpec> theirs = spec.nics(other.name());
            Optional<NicSpec> shared =
                    theirs.stream().filter(n -> mine.contains(n.segment())).findFirst();
            Optional<NicSpec> pick =
                    shared.isPresent() ? shared : theirs.stream().findFirst();
            if (pick.isPresent()) {
                if (sb.length() > 0) {
                    sb.append(',');
                }
                sb.append(other.name()).append('=').append(pick.get().address());
            }
        }
        return sb.toString();
    }
}
