package io.vmcluster.fault;

import io.vmcluster.network.NetworkNamespace;
import io.vmcluster.process.CommandResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** {@link HostNamespace} over the cluster's {@link NetworkNamespace}; stdin goes through a temp file. */
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

    private static ExecResult convert(CommandResult r) {
        return new ExecResult(r.exitCode(), r.stdout(), r.stderr());
    }
}
