package io.vmcluster.nativeio;

import io.vmcluster.command.CommandResult;
import java.time.Duration;
import java.util.Optional;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Pointer;

/**
 * One libnftables context: what {@code nft -f -} does, without starting a process. Its netlink
 * socket belongs to the network namespace of the thread that opens and uses it, so a context is
 * confined to one thread: create it, run scripts and close it on that thread (see
 * {@code io.vmcluster.network.NamespacedNftables}).
 */
public final class NftablesContext implements AutoCloseable {
    private static final int NFT_CTX_DEFAULT = 0;
    private static volatile Optional<LibNftables> library;
    private static volatile String loadError = "";

    private final LibNftables lib;
    private Pointer ctx;

    private NftablesContext(LibNftables lib, Pointer ctx) {
        this.lib = lib;
        this.ctx = ctx;
    }

    /** libnftables, if this host has it (loaded once). */
    static synchronized Optional<LibNftables> library() {
        if (library == null) {
            try {
                library = Optional.of(LibraryLoader.create(LibNftables.class).load("nftables"));
            } catch (LinkageError | RuntimeException e) {
                loadError = String.valueOf(e.getMessage());
                library = Optional.empty();
            }
        }
        return library;
    }

    /** Whether libnftables can be loaded here; if not, {@link #unavailableReason()} says why. */
    public static boolean available() {
        return library().isPresent();
    }

    /** Why libnftables could not be loaded (empty when it could). */
    public static String unavailableReason() {
        library();
        return loadError;
    }

    /** A new context with output and errors buffered; in the calling thread's namespace. */
    public static NftablesContext open() {
        LibNftables lib = library()
                .orElseThrow(() -> new IllegalStateException("libnftables.so.1 cannot be loaded: " + loadError));
        Pointer ctx = lib.nft_ctx_new(NFT_CTX_DEFAULT);
        if (ctx == null) {
            throw new IllegalStateException("nft_ctx_new failed");
        }
        lib.nft_ctx_buffer_output(ctx);
        lib.nft_ctx_buffer_error(ctx);
        return new NftablesContext(lib, ctx);
    }

    /**
     * Runs an nft script (as {@code nft -f -} would) as one transaction. The result reads as that
     * command's would: exit 0 or 1, what nft would have printed on stdout and stderr.
     */
    public CommandResult run(String script) {
        if (ctx == null) {
            throw new IllegalStateException("nftables context is closed");
        }
        long start = System.nanoTime();
        int rc = lib.nft_run_cmd_from_buffer(ctx, script);
        String out = lib.nft_ctx_get_output_buffer(ctx);
        String err = lib.nft_ctx_get_error_buffer(ctx);
        return CommandResult.ofText(
                "libnftables", script, rc == 0 ? 0 : 1, out, err, Duration.ofNanos(System.nanoTime() - start));
    }

    @Override
    public void close() {
        if (ctx != null) {
            lib.nft_ctx_free(ctx);
            ctx = null;
        }
    }
}
