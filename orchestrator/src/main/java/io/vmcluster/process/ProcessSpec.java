package io.vmcluster.process;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What to launch as a long-lived child: the program and its arguments, where its stdout and
 * stderr go (files, appended), the network namespace it must live in, and whether the kernel
 * kills it when the JVM dies (default yes).
 *
 * <pre>{@code
 * ProcessSpec qemu = ProcessSpec.of(argv)
 *         .inNetworkNamespace(ns.name())
 *         .stdout(runDir.resolve("node1.stdout"))
 *         .stderr(runDir.resolve("node1.stderr"));
 * }</pre>
 *
 * @param argv the program and its arguments, exactly as the program sees them
 * @param networkNamespace the name of a namespace under {@code /run/netns} to start it in
 * @param stdout file stdout is appended to
 * @param stderr file stderr is appended to
 * @param workingDirectory its working directory, else the JVM's
 * @param environment extra environment variables (added to the JVM's)
 * @param dieWithJvm whether the kernel sends it SIGKILL when the JVM dies (PR_SET_PDEATHSIG)
 */
public record ProcessSpec(
        List<String> argv,
        Optional<String> networkNamespace,
        Path stdout,
        Path stderr,
        Optional<Path> workingDirectory,
        Map<String, String> environment,
        boolean dieWithJvm) {

    public ProcessSpec {
        argv = List.copyOf(argv);
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("empty argv");
        }
        Objects.requireNonNull(networkNamespace, "networkNamespace");
        Objects.requireNonNull(stdout, "stdout");
        Objects.requireNonNull(stderr, "stderr");
        Objects.requireNonNull(workingDirectory, "workingDirectory");
        environment = Map.copyOf(environment);
    }

    /** A spec with output discarded to {@code /dev/null}, no namespace, dying with the JVM. */
    public static ProcessSpec of(List<String> argv) {
        Path devNull = Path.of("/dev/null");
        return new ProcessSpec(argv, Optional.empty(), devNull, devNull, Optional.empty(), Map.of(), true);
    }

    /** See {@link #of(List)}. */
    public static ProcessSpec of(String... argv) {
        return of(List.of(argv));
    }

    public ProcessSpec inNetworkNamespace(String name) {
        return new ProcessSpec(argv, Optional.of(name), stdout, stderr, workingDirectory, environment, dieWithJvm);
    }

    public ProcessSpec stdout(Path file) {
        return new ProcessSpec(argv, networkNamespace, file, stderr, workingDirectory, environment, dieWithJvm);
    }

    public ProcessSpec stderr(Path file) {
        return new ProcessSpec(argv, networkNamespace, stdout, file, workingDirectory, environment, dieWithJvm);
    }

    public ProcessSpec workingDirectory(Path dir) {
        return new ProcessSpec(argv, networkNamespace, stdout, stderr, Optional.of(dir), environment, dieWithJvm);
    }

    public ProcessSpec environment(Map<String, String> env) {
        return new ProcessSpec(argv, networkNamespace, stdout, stderr, workingDirectory, env, dieWithJvm);
    }

    /** Lets the child outlive the JVM (only for tests of the reaper; never for QEMU). */
    public ProcessSpec outliveJvm() {
        return new ProcessSpec(argv, networkNamespace, stdout, stderr, workingDirectory, environment, false);
    }

    /**
     * The argv actually executed: {@code setpriv --pdeathsig KILL --} (if {@link #dieWithJvm}),
     * then {@code nsenter --net=/run/netns/NAME --} (if in a namespace), then {@link #argv}.
     * Each wrapper execs the next, so the child's pid is the program's pid.
     */
    public List<String> commandLine() {
        List<String> cmd = new ArrayList<>();
        if (dieWithJvm) {
            cmd.addAll(List.of("setpriv", "--pdeathsig", "KILL", "--"));
        }
        networkNamespace.ifPresent(ns -> cmd.addAll(List.of("nsenter", "--net=/run/netns/" + ns, "--")));
        cmd.addAll(argv);
        return cmd;
    }
}
