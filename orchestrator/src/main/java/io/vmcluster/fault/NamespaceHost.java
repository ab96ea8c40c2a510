package io.vmcluster.fault;

import io.vmcluster.nativeio.NftablesContext;
import io.vmcluster.network.NamespacedNftables;
import io.vmcluster.network.NetworkNamespace;
import io.vmcluster.process.CommandResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@link HostNamespace} over the cluster's {@link NetworkNamespace}: nftables scripts through its
 * libnftables context, other tools as processes (stdin through a temp file).
 */
public final class NamespaceHost implements HostNamespace {
    private final NetworkNamespace namespace;

    public NamespaceHost(NetworkNamespace namespace) {
        this.namespace = namespace;
    }

    @Override
    public ExecResult exec(List<String> argv, String stdin, Duration timeout) {
        if (stdin.isEmpty()) {
            return convert(namespace.exec(argv, timeout));
        }
        Path in = null;
        try {
            in = Files.createTempFile("vmc-fault-", ".in");
            Files.writeString(in, stdin);
            List<String> cmd = new ArrayList<>(List.of("sh", "-c", "exec \"$@\" < \"$0\"", in.toString()));
            cmd.addAll(argv);
            return convert(namespace.exec(cmd, timeout));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot pass stdin to " + String.join(" ", argv), e);
        } finally {
            if (in != null) {
                try {
                    Files.deleteIfExists(in);
                } catch (IOException ignored) {
                    // a temp file left in /tmp is harmless
                }
            }
        }
    }

    /** Through the namespace's libnftables context when the host has one: no process per change. */
    @Override
    public ExecResult nft(String script, Duration timeout) {
        Optional<NamespacedNftables> nft = namespace.nftables();
        if (nft.isEmpty()) {
            return HostNamespace.super.nft(script, timeout);
        }
        NftablesContext.Result r = nft.get().run(script, timeout);
        return new ExecResult(r.ok() ? 0 : 1, r.output(), r.error());
    }

    private static ExecResult convert(CommandResult r) {
        return new ExecResult(r.exitCode(), r.stdout(), r.stderr());
    }
}
