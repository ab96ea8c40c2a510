package io.vmcluster.network;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * A Linux network interface name: 1 to 15 characters of {@code [A-Za-z0-9_.-]} (the kernel's
 * IFNAMSIZ is 16 with the NUL). Interface names are per namespace, so the same names can be used
 * by every cluster; the factories derive them deterministically from the cluster's own names.
 */
public record InterfaceName(String value) {
    /** The longest name the kernel accepts. */
    public static final int MAX_LENGTH = 15;

    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9_.-]{1,15}");
    private static final Pattern UNSAFE = Pattern.compile("[^A-Za-z0-9]");

    public InterfaceName {
        if (value == null || !VALID.matcher(value).matches() || value.equals(".") || value.equals("..")) {
            throw new IllegalArgumentException("'" + value + "' is not a valid interface name: use 1 to " + MAX_LENGTH
                    + " characters of letters, digits, '_', '.', '-'");
        }
    }

    public static InterfaceName of(String value) {
        return new InterfaceName(value);
    }

    /**
     * The bridge of a LAN or point-to-point link: {@code br-} + the network's name, shortened with
     * a hash if needed. E.g. {@code lan} → {@code br-lan}.
     */
    public static InterfaceName bridge(String networkName) {
        return new InterfaceName(fit("br-", networkName, ""));
    }

    /**
     * The tap of NIC {@code nicIndex} (0-based) of a node: {@code t-} + the node's name + {@code -}
     * + the index, shortened with a hash if needed. E.g. node1, 0 → {@code t-node1-0}.
     */
    public static InterfaceName tap(String nodeName, int nicIndex) {
        if (nicIndex < 0) {
            throw new IllegalArgumentException("NIC index must be >= 0, got " + nicIndex);
        }
        return new InterfaceName(fit("t-", nodeName, "-" + nicIndex));
    }

    @Override
    public String toString() {
        return value;
    }

    /**
     * prefix + middle + suffix, where middle is made safe; if too long, middle is cut and followed
     * by 4 hex digits of a hash of the full middle, so different long names stay different.
     */
    static String fit(String prefix, String middle, String suffix) {
        String safe = UNSAFE.matcher(middle).replaceAll("");
        int room = MAX_LENGTH - prefix.length() - suffix.length();
        if (safe.equals(middle) && !safe.isEmpty() && safe.length() <= room) {
            return prefix + safe + suffix;
        }
        String hash = String.format("%04x", fnv1a(middle) & 0xffff);
        int keep = Math.max(0, Math.min(safe.length(), room - hash.length()));
        return prefix + safe.substring(0, keep) + hash + suffix;
    }

    private static int fnv1a(String s) {
        int h = 0x811c9dc5;
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x01000193;
        }
        return h;
    }
}
