package io.vmcluster.cli.doctor;

import io.vmcluster.command.CommandResult;
import io.vmcluster.process.CommandRunner;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A network namespace that exists only while doctor probes in it ({@code vmcdoc-<pid>-<random>}),
 * so bridge, tap, nftables and netem are tried for real without touching the host's network.
 */
public final class ScratchNamespace implements AutoCloseable {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final CommandRunner commands;
    private final String name;

    private ScratchNamespace(CommandRunner commands, String name) {
        this.commands = commands;
        this.name = name;
    }

    /** Creates the namespace; the result says why it could not be made. */
    public static Created create(CommandRunner commands) {
        String name = "vmcdoc-" + ProcessHandle.current().pid() + "-"
                + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000, 0xffff));
        CommandResult r = commands.probe(TIMEOUT, "ip", "netns", "add", name);
        return r.succeeded() ? new Created(new ScratchNamespace(commands, name), r) : new Created(null, r);
    }

    public String name() {
        return name;
    }

    /** Runs a command inside the namespace ({@code ip netns exec NAME ...}). */
    public CommandResult exec(Duration timeout, String... argv) {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", name));
        full.addAll(List.of(argv));
        return commands.probe(timeout, full);
    }

    @Override
    public void close() {
        commands.probe(TIMEOUT, "ip", "netns", "del", name);
    }

    /**
     * @param namespace the namespace, or null when creating it failed
     * @param result what {@code ip netns add} said
     */
    public record Created(ScratchNamespace namespace, CommandResult result) {}
}
