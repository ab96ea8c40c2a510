package io.vmcluster.live;

import static org.assertj.core.api.Assertions.assertThat;

import io.vmcluster.events.Event;
import io.vmcluster.events.EventSink;
import io.vmcluster.repl.SupervisorEngineProvider;
import io.vmcluster.time.Timing;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import jdk.jshell.JShell;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The repl's plumbing without VMs: JShell (the API the {@code jshell} tool is built on) with the
 * engine {@code vmcluster repl} uses, against a supervisor's control socket served by {@link
 * ClusterControl}. The VM side (node1.succeed, faults) is scripts/test-interactive/repl.
 */
public class ReplSessionTest {
    @TempDir
    Path dir;

    final List<String> done = Collections.synchronizedList(new ArrayList<>());

    final EventSink sink = new EventSink() {
        @Override
        public void record(Event event) {}

        @Override
        public void close() {}
    };

    /** A static the snippets change: they run in the supervisor's process, on its classes. */
    public static volatile String touched = "";

    @Test
    void snippetsRunInTheSupervisorAndTheirOutputComesBack() throws Exception {
        ByteArrayOutputStream shown = new ByteArrayOutputStream();
        try (Session session = open(shown, shown)) {
            JShell js = session.js();
            assertThat(value(js, "6 * 7")).isEqualTo("42");
            value(js, "io.vmcluster.live.ReplSessionTest.touched = \"by a snippet\"");
            assertThat(touched).as("the snippet set the supervisor's static").isEqualTo("by a snippet");
            value(js, "System.out.println(\"printed-in-the-engine\")");
            value(js, "new Thread(() -> System.err.println(\"from-a-snippet-thread\")).start()");
            assertThat(until(shown, "from-a-snippet-thread"))
                    .as("System.out and System.err of snippets and their threads reach the session")
                    .contains("printed-in-the-engine", "from-a-snippet-thread");
            List<SnippetEvent> failed = js.eval("throw new IllegalStateException(\"no such node\");");
            assertThat(failed.get(0).exception())
                    .as("an exception comes back as the snippet's: " + failed)
                    .isNotNull();
            assertThat(failed.get(0).exception().getMessage()).isEqualTo("no such node");
            assertThat(value(js, "1 + 1")).as("the session goes on after it").isEqualTo("2");
        }
        assertThat(shown.toString(StandardCharsets.UTF_8)).doesNotContain("Exception in");
    }

    /** Ctrl-C in jshell is {@code JShell.stop()}: it must end a snippet that would run for minutes. */
    @Test
    void stopEndsARunningSnippetAndTheSessionGoesOn() throws Exception {
        ByteArrayOutputStream shown = new ByteArrayOutputStream();
        try (Session session = open(new ByteArrayOutputStream(), shown)) {
            JShell js = session.js();
            java.util.concurrent.CompletableFuture<List<SnippetEvent>> running =
                    java.util.concurrent.CompletableFuture.supplyAsync(() ->
                            js.eval("io.vmcluster.live.ReplSessionTest.touched = \"running\"; Thread.sleep(600_000);"));
            io.vmcluster.time.Wait.forCondition("the snippet to run")
                    .atMost(java.time.Duration.ofSeconds(20))
                    .timing(Timing.withMultiplier(1))
                    .until(() -> {
                        if (!touched.equals("running")) throw io.vmcluster.time.Wait.notYet(touched);
                        return touched;
                    });
            long t0 = System.nanoTime();
            js.stop();
            List<SnippetEvent> stopped = running.get(20, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(java.time.Duration.ofNanos(System.nanoTime() - t0))
                    .as("stop ended the sleep: " + stopped)
                    .isLessThan(java.time.Duration.ofSeconds(20));
            assertThat(value(js, "1 + 1")).as("the session goes on after it").isEqualTo("2");
        }
        assertThat(shown.toString(StandardCharsets.UTF_8))
                .as("a stop that stopped a snippet does not say nothing was running")
                .doesNotContain("nothing was running");
    }

    /**
     * jshell splits a line into snippets and runs them one by one: a Ctrl-C after the first ended
     * and before the next began (the client compiling it) stops nothing, in the supervisor as in
     * jshell's own engine. The person is told so, instead of a Ctrl-C that silently did nothing
     * (how scripts/test-interactive/repl lost its Ctrl-C on a loaded host).
     */
    @Test
    void aStopBetweenSnippetsSaysNothingWasRunningAndTheSessionGoesOn() throws Exception {
        ByteArrayOutputStream shown = new ByteArrayOutputStream();
        try (Session session = open(shown, shown)) {
            JShell js = session.js();
            value(js, "System.out.println(\"sleeping-\" + 6 * 7)");
            js.stop();
            assertThat(until(shown, "nothing was running"))
                    .as("a stop that found no snippet running says so")
                    .contains("Ctrl-C again");
            assertThat(value(js, "6 * 7"))
                    .as("the next snippet runs, not stopped")
                    .isEqualTo("42");
        }
    }

    /** A snippet runs in the supervisor: its System.exit must not end it (and the cluster). */
    @Test
    void systemExitInASnippetThrowsAndTheSupervisorLivesOn() throws Exception {
        try (Session session = open(new ByteArrayOutputStream(), new ByteArrayOutputStream())) {
            JShell js = session.js();
            value(js, "java.util.function.IntConsumer byReference = System::exit;");
            value(js, "Runnable inALambda = () -> System.exit(5);");
            for (String exit : List.of("System.exit(3);", "byReference.accept(4);", "inALambda.run();")) {
                List<SnippetEvent> events = js.eval(exit);
                SnippetEvent last = events.get(events.size() - 1);
                assertThat(last.exception()).as(exit + ": " + events).isNotNull();
                assertThat(last.exception().getMessage()).contains("would end the cluster's supervisor");
            }
            assertThat(value(js, "6 * 7"))
                    .as("the supervisor (this JVM) and the session live on")
                    .isEqualTo("42");
        }
    }

    /** A JShell on the engine {@code vmcluster repl} uses, against a supervisor's control socket. */
    private Session open(java.io.OutputStream out, java.io.OutputStream err) throws Exception {
        ClusterControl control = new ClusterControl(
                "c1", new FakeApi(done), () -> Map.of("node1", "READY"), sink, Timing.withMultiplier(1), dir);
        ControlServer server = ControlServer.start(dir.resolve("control"), control);
        JShell js = JShell.builder()
                .executionEngine(new SupervisorEngineProvider(server.socket()), null)
                .out(new PrintStream(out, true, StandardCharsets.UTF_8))
                .err(new PrintStream(err, true, StandardCharsets.UTF_8))
                .build();
        js.addToClasspath(System.getProperty("java.class.path"));
        return new Session(server, js);
    }

    /** Closes the JShell, then the control server, as the try-with-resources they replace did. */
    private record Session(ControlServer server, JShell js) implements AutoCloseable {
        @Override
        public void close() throws Exception {
            try {
                js.close();
            } finally {
                server.close();
            }
        }
    }

    private static String value(JShell js, String code) {
        List<SnippetEvent> events = js.eval(code);
        SnippetEvent e = events.get(0);
        assertThat(e.status()).as(code + ": " + events).isEqualTo(Snippet.Status.VALID);
        assertThat(e.exception()).as(code).isNull();
        return e.value();
    }

    /** The output so far once it holds {@code text}, waiting (bounded) for a snippet's thread. */
    private static String until(ByteArrayOutputStream shown, String text) {
        return io.vmcluster.time.Wait.forCondition("'" + text + "' in the session's output")
                .atMost(java.time.Duration.ofSeconds(10))
                .timing(Timing.withMultiplier(1))
                .until(() -> {
                    String s = shown.toString(StandardCharsets.UTF_8);
                    if (!s.contains(text)) throw io.vmcluster.time.Wait.notYet(s);
                    return s;
                });
    }
}
