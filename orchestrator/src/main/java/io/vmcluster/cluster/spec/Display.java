package io.vmcluster.cluster.spec;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Whether a node has a screen: {@code none} (the default: serial and virtio consoles only) or
 * {@code vnc}, a standard VGA card whose screen QEMU serves over VNC on a Unix socket in the run
 * directory, relayed to a port on 127.0.0.1 of the host ({@code vmcluster up} and {@code ps}
 * print it). The kernel then writes its messages to the screen too.
 */
public enum Display {
    NONE,
    VNC;

    /** As written in a cluster file and on the command line. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Display> parse(String text) {
        return Arrays.stream(values()).filter(d -> d.label().equals(text)).findFirst();
    }

    public static List<String> labels() {
        return Arrays.stream(values()).map(Display::label).toList();
    }
}
