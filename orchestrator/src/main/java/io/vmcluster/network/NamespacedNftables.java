package io.vmcluster.network;

import io.vmcluster.command.CommandResult;
import io.vmcluster.nativeio.NftablesContext;
import io.vmcluster.time.Timing;
import java.nio.file.Path;
import java.time.Duration;

/**
 * nftables inside a {@link NetworkNamespace} without a process per change: one thread enters the
 * namespace and keeps a libnftables context open there (its netlink socket is in the namespace),
 * and every script runs on that thread as one transaction. A ruleset change then costs a netlink
 * round trip instead of starting {@code nsenter} and {@code nft}.
 */
public final class NamespacedNftables implements AutoCloseable {
    private static final Duration BOUND = Duration.ofSeconds(10);

    private final NamespaceThread thread;
    private final NftablesContext context;
    private final Timing timing;

    private NamespacedNftables(NamespaceThread thread, NftablesContext context, Timing timing) {
        this.thread = thread;
        this.context = context;
        this.timing = timing;
    }

    /** Whether libnftables is on this host ({@link NetworkNamespace#nftables()} falls back to the nft tool otherwise). */
    public static boolean available() {
        return NftablesContext.available();
    }

    /** Enters the namespace bound at {@code nsPath} and opens a context there; {@code timing} scales its bounds. */
    static NamespacedNftables enter(Path nsPath, Timing timing) {
        Duration bound = timing.scale(BOUND);
        NamespaceThread thread = NamespaceThread.enter(nsPath, "nft", bound);
        try {
            return new NamespacedNftables(
                    thread, thread.call("open an nftables context", bound, NftablesContext::open), timing);
        } catch (RuntimeException e) {
            thread.close();
            throw e;
        }
    }

    /** Runs {@code script} in the namespace as {@code nft -f -} would; waits at most {@code timeout}. */
    public CommandResult run(String script, Duration timeout) {
        return thread.call("run an nft script", timeout, () -> context.run(script));
    }

    /** Frees the context on its thread and stops the thread. */
    @Override
    public void close() {
        thread.close(context::close, timing.scale(BOUND));
    }
}
