package io.vmcluster.process;

import io.vmcluster.time.Timing;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Starts long-lived children (QEMU) so that none of them outlives the JVM.
 *
 * <p><b>Why:</b> Java cannot set {@code PR_SET_PDEATHSIG} in a child. So each child is exec'd
 * through {@code setpriv --pdeathsig KILL --} (util-linux), which sets it and execs the program
 * (pid unchanged, the flag survives exec). The kernel then sends SIGKILL to the child when its
 * parent dies — including on {@code kill -9} of the JVM, where no Java code runs.
 *
 * <p><b>The thread caveat:</b> for the kernel the "parent" is the <em>thread</em> that forked the
 * child, not the process: a child started from a pool thread would be killed when that thread
 * retires. So every child is forked from one dedicated, process-wide launcher thread that lives
 * as long as the JVM.
 *
 * <p><b>Namespaces:</b> a child that must live in a network namespace (QEMU opening its taps) is
 * exec'd through {@code nsenter --net=/run/netns/NAME --} after setpriv.
 *
 * <p>The remaining gap: if the JVM dies between the fork and setpriv's prctl (microseconds), the
 * child is not covered; the run registry records every child's pid so the next run's reaper kills
 * it (see {@code io.vmcluster.reaper.Reaper}).
 */
public final class ProcessLauncher {
    private static final Duration START_BOUND = Duration.ofSeconds(30);

    /** The one thread every long-lived child is forked from; never retires while the JVM lives. */
    private static final ExecutorService LAUNCHER_THREAD = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "vmc-process-launcher");
        t.setDaemon(true);
        return t;
    });

    private final ChildListener listener;
    private final Timing timing;

    private ProcessLauncher(ChildListener listener, Timing timing) {
        this.listener = Objects.requireNonNull(listener, "listener");
        this.timing = Objects.requireNonNull(timing, "timing");
    }

    /** A launcher that tells nobody about its children; {@code timing} scales their stop bounds. */
    public static ProcessLauncher create(Timing timing) {
        return new ProcessLauncher(ChildListener.NONE, timing);
    }

    /** A launcher that tells {@code listener} about every child started and exited. */
    public static ProcessLauncher withListener(ChildListener listener, Timing timing) {
        return new ProcessLauncher(listener, timing);
    }

    /**
     * Starts the child described by {@code spec} from the launcher thread and returns once it
     * runs. Its stdout and stderr are appended to the spec's files; its stdin is /dev/null.
     *
     * @throws UncheckedIOException if it cannot be started (missing program, unwritable log file)
     */
    public ChildProcess start(ProcessSpec spec) {
        Future<Process> started = LAUNCHER_THREAD.submit(() -> builder(spec).start());
        Process process;
        try {
            process = started.get(START_BOUND.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw new UncheckedIOException(
                        "cannot start " + String.join(" ", spec.commandLine()) + ": " + io.getMessage(), io);
            }
            throw new IllegalStateException("cannot start " + String.join(" ", spec.commandLine()), cause);
        } catch (TimeoutException e) {
            throw new IllegalStateException("the launcher thread did not start "
                    + spec.argv().get(0) + " within " + START_BOUND.toSeconds() + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(
                    "interrupted while starting " + spec.argv().get(0), e);
        }
        // the start time is read right away; if the child is already gone, 0 marks "unknown"
        ProcessIdentity identity = ProcessIdentity.of(process.pid()).orElse(new ProcessIdentity(process.pid(), 0));
        ChildProcess child = new ChildProcess(spec, process, identity, timing);
        listener.started(child);
        child.onExit().whenComplete((code, error) -> listener.exited(child));
        return child;
    }

    private static ProcessBuilder builder(ProcessSpec spec) {
        ProcessBuilder pb = new ProcessBuilder(spec.commandLine())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.appendTo(spec.stdout().toFile()))
                .redirectError(ProcessBuilder.Redirect.appendTo(spec.stderr().toFile()));
        spec.workingDirectory().ifPresent(d -> pb.directory(d.toFile()));
        pb.environment().putAll(spec.environment());
        return pb;
    }
}
