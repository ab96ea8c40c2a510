package io.vmcluster.network;

import io.vmcluster.process.Commands;
import io.vmcluster.time.Timing;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** What the host can do; ITs skip (never fail) where it cannot. */
public final class TestHost {
    private TestHost() {}

    /** Root with ip, nsenter, setpriv and busybox: namespaces, taps and launched children work. */
    public static boolean canManageNamespaces() {
        return "root".equals(System.getProperty("user.name"))
                && Files.isExecutable(Path.of("/usr/bin/setpriv"))
                && Files.isExecutable(Path.of("/usr/bin/nsenter"))
                && Files.isExecutable(Path.of("/usr/bin/busybox"))
                && Commands.with(Timing.standard())
                        .run(Duration.ofSeconds(10), "ip", "netns", "list")
                        .succeeded();
    }

    /** Names of every interface the host's own namespace has. */
    public static String hostLinks() {
        return Commands.with(Timing.standard())
                .succeed(Duration.ofSeconds(10), "ip", "-o", "link", "show")
                .stdoutText();
    }

    /** A unique namespace name for a test. */
    public static String uniqueNamespaceName(String what) {
        return NetworkNamespace.PREFIX + "t" + ProcessHandle.current().pid() + "-" + what + "-"
                + Long.toString(System.nanoTime() % 100_000, 36);
    }
}
