package io.vmcluster.cli;

import io.vmcluster.hosts.Agent;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;

/**
 * {@code vmcluster agent --dir DIR}: the per-run agent on a host of a cluster spread over several
 * hosts; started by the coordinator over SSH, never by hand (docs/scale-out.md). Stdin and stdout
 * are its connection to the coordinator; everything else it prints goes to stderr.
 */
@CommandLine.Command(
        name = "agent",
        hidden = true,
        description = "The per-run agent on one host of a cluster over several hosts (started over SSH).")
public final class AgentCommand implements Callable<Integer> {
    @CommandLine.Option(names = "--dir", required = true, description = "This run's directory on this host.")
    Path dir;

    @Override
    public Integer call() {
        PrintStream protocol = new PrintStream(new FileOutputStream(FileDescriptor.out), false);
        System.setOut(System.err); // only the protocol goes to stdout
        Agent.serve(System.in, protocol, dir);
        return 0;
    }
}
