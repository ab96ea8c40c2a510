package io.vmcluster.network;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What the host must offer for namespaces, taps and launched children, checked up front so a run
 * fails with one clear message (the CLI's exit code 3) instead of halfway through.
 */
public final class HostSupport {
    private static final long CAP_NET_ADMIN = 1L << 12;
    private static final long CAP_SYS_ADMIN = 1L << 21;
    private static final List<String> TOOLS = List.of("ip", "nsenter", "setpriv", "nft");

    private HostSupport() {}

    /** Human-readable descriptions of what is missing; empty when everything is there. */
    public static List<String> missing() {
        List<String> missing = new ArrayList<>();
        long caps = effectiveCapabilities();
        if ((caps & CAP_SYS_ADMIN) == 0 || (caps & CAP_NET_ADMIN) == 0) {
            missing.add("CAP_SYS_ADMIN and CAP_NET_ADMIN (run as root) to create network namespaces and taps");
        }
        for (String tool : TOOLS) {
            if (findOnPath(tool) == null) {
                missing.add("'" + tool + "' on PATH (" + packageOf(tool) + ")");
            }
        }
        if (!Files.exists(Path.of("/dev/net/tun"))) {
            missing.add("/dev/net/tun (the tun kernel module) for tap devices");
        }
        return missing;
    }

    private static String packageOf(String tool) {
        return switch (tool) {
            case "ip" -> "Debian package iproute2";
            case "nft" -> "Debian package nftables";
            default -> "Debian package util-linux";
        };
    }

    private static Path findOnPath(String tool) {
        String path = System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
        for (String dir : (path + ":/usr/sbin:/sbin").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) {
                return Path.of(dir, tool);
            }
        }
        return null;
    }

    private static long effectiveCapabilities() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("CapEff:")) {
                    return Long.parseUnsignedLong(line.substring(7).strip().toLowerCase(Locale.ROOT), 16);
                }
            }
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
        return 0;
    }
}
