package io.vmcluster.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vmcluster.command.CommandFailedException;
import io.vmcluster.command.CommandResult;
import io.vmcluster.command.CommandTimeoutException;
import io.vmcluster.command.ShellQuote;
import io.vmcluster.time.Timing;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The command channels against one real TCG guest of the test image: the same assertions for
 * each channel, then console and SSH compared with each other.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@EnabledIf(value = "io.vmcluster.channel.TestVm#imageAvailable", disabledReason = "no built etcd-test image")
class CommandChannelsIT {
    private static final Duration BOOT = Duration.ofSeconds(180);
    private static final Duration CMD = Duration.ofSeconds(60);

    private TestVm vm;
    private ConsoleChannel console;
    private SshChannel ssh;
    private AgentChannel agent;
    private final List<String> consoleLines = new CopyOnWriteArrayList<>();

    @BeforeAll
    void boot() throws IOException {
        SshKeys keys = SshKeys.generate();
        vm = TestVm.boot("chan1", keys);
        try {
            console = ConsoleChannel.connect(
                    vm.name,
                    vm.consoleSocket,
                    line -> {
                        consoleLines.add(line);
                        System.out.println("[" + vm.name + " hvc0] " + line);
                    },
                    Timing.standard(),
                    Duration.ofSeconds(30));
            console.awaitShell(BOOT);
            ssh = SshChannel.create(
                    vm.name, "127.0.0.1", vm.sshPort, "root", keys, SshChannel.plainSockets(), Timing.standard());
            ssh.awaitConnected(BOOT);
            agent = AgentChannel.create(vm.name, vm.agentSocket, Timing.standard());
            agent.awaitAgent(BOOT);
        } catch (RuntimeException e) {
            throw new AssertionError("guest did not come up; serial log tail:\n" + vm.serialTail(), e);
        }
    }

    @AfterAll
    void shutdown() throws IOException {
        try {
            if (console != null) {
                console.close();
            }
            if (ssh != null) {
                ssh.close();
            }
            if (agent != null) {
                agent.close();
            }
        } finally {
            if (vm != null) {
                vm.close();
            }
        }
    }

    /** By name: JUnit would close AutoCloseable arguments after each invocation. */
    static Stream<String> channels() {
        return Stream.of("console", "ssh", "agent");
    }

    private CommandChannel channel(String kind) {
        return switch (kind) {
            case "console" -> console;
            case "ssh" -> ssh;
            case "agent" -> agent;
            default -> throw new IllegalArgumentException(kind);
        };
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("channels")
    void exitCodeAndSeparateStdoutAndStderr(String kind) {
        CommandChannel ch = channel(kind);
        CommandResult r = ch.run("echo to-out; echo to-err >&2; printf 'no newline'; exit 7", CMD);

        assertThat(r.exitCode()).isEqualTo(7);
        assertThat(r.stdoutText()).isEqualTo("to-out\nno newline");
        assertThat(r.stderrText()).isEqualTo("to-err\n");
        assertThat(ch.run("true", CMD).exitCode()).isZero();
        assertThat(ch.run("false", CMD).exitCode()).isEqualTo(1);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("channels")
    void aMegabyteOfBinaryOutputArrivesIntact(String kind) throws Exception {
        CommandChannel ch = channel(kind);
        byte[] data = new byte[1 << 20];
        new Random(ch.kind().hashCode()).nextBytes(data);
        String path = "/tmp/chan-it-" + ch.kind() + ".bin";
        Shell.on(ch, Timing.standard()).writeFile(path, data);

        CommandResult sum = Shell.on(ch, Timing.standard()).succeed("md5sum " + ShellQuote.quote(path));
        assertThat(sum.stdoutText()).as("guest md5 of what stdin delivered").startsWith(md5(data));
        CommandResult back =
                ch.run("cat " + ShellQuote.quote(path) + "; head -c 100000 " + ShellQuote.quote(path) + " >&2", CMD);
        assertThat(back.stdout()).as("stdout").isEqualTo(data);
        assertThat(back.stderr()).as("stderr").isEqualTo(java.util.Arrays.copyOf(data, 100_000));
        Shell.on(ch, Timing.standard()).succeed("rm " + ShellQuote.quote(path));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("channels")
    void aCommandThatTimesOutIsKilledAndTheChannelStaysUsable(String kind) {
        CommandChannel ch = channel(kind);
        String marker = "301" + ch.kind().length();

        assertThatThrownBy(() -> ch.run("echo started; sleep " + marker + "; echo never", Duration.ofSeconds(3)))
                .isInstanceOf(CommandTimeoutException.class)
                .satisfies(e -> {
                    CommandTimeoutException t = (CommandTimeoutException) e;
                    assertThat(t.where()).as("node and channel").isEqualTo(vm.name + " " + ch.kind());
                    assertThat(t.partial()).as("partial output").isNotNull();
                    assertThat(t.partial().stdoutText()).isEqualTo("started\n");
                });

        CommandResult next = ch.run("echo next", CMD);
        assertThat(next.stdoutText()).isEqualTo("next\n");
        assertThat(ch.run("ps | grep -v grep | grep -c 'sleep " + marker + "'", CMD)
                        .stdoutLine())
                .as("the timed-out command's process group was killed")
                .isEqualTo("0");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("channels")
    void aBackgroundProcessHoldingStdoutDoesNotHangTheCall(String kind) {
        CommandChannel ch = channel(kind);
        String marker = "100" + ch.kind().length();
        CommandResult r = ch.run("sleep " + marker + " & echo started", Duration.ofSeconds(30));

        assertThat(r.stdoutText()).isEqualTo("started\n");
        assertThat(r.duration())
                .as("returned without waiting for the background sleep")
                .isLessThan(Duration.ofSeconds(30));
        assertThat(ch.run("ps | grep -v grep | grep -c 'sleep " + marker + "'", CMD)
                        .stdoutLine())
                .as("the background process keeps running")
                .isEqualTo("1");
        ch.run("pkill -f 'sleep " + marker + "'", CMD);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("channels")
    void stdinIsDeliveredAndQuotingHolds(String kind) {
        CommandChannel ch = channel(kind);
        String weird = "it's \"quoted\" $HOME `id` \\ \t tab\nnew line";
        CommandResult r = ch.run("cat; printf '%s' " + ShellQuote.quote(weird) + " >&2", "in\0put\n".getBytes(), CMD);

        assertThat(r.stdoutText()).isEqualTo("in\0put\n");
        assertThat(r.stderrText()).isEqualTo(weird);
    }

    @Test
    void consoleSshAndAgentGiveTheSameResults() {
        List<String> commands = List.of(
                "echo hello",
                "echo err >&2; exit 3",
                "uname -s; id -u",
                "cd /tmp && pwd",
                "head -c 3000 /dev/zero | tr '\\0' x",
                "printf 'a\\r\\nb\\tc'",
                "for i in 1 2 3; do echo $i; done | tac",
                "test -e /nonexistent");
        for (String c : commands) {
            CommandResult a = console.run(c, CMD);
            for (CommandChannel other : List.of(ssh, agent)) {
                CommandResult b = other.run(c, CMD);
                assertThat(b.exitCode())
                        .as("exit of %s over %s", c, other.kind())
                        .isEqualTo(a.exitCode());
                assertThat(b.stdout())
                        .as("stdout of %s over %s", c, other.kind())
                        .isEqualTo(a.stdout());
                assertThat(b.stderr())
                        .as("stderr of %s over %s", c, other.kind())
                        .isEqualTo(a.stderr());
            }
        }
    }

    @Test
    void shellHelpers(@TempDir Path tmp) throws IOException {
        Shell sh = Shell.on(console, Timing.standard());
        assertThat(sh.succeed("echo ok").stdoutLine()).isEqualTo("ok");
        assertThatThrownBy(() -> sh.succeed("echo bad >&2; exit 4"))
                .isInstanceOf(CommandFailedException.class)
                .hasMessageContaining("exit code 4")
                .hasMessageContaining("bad")
                .hasMessageContaining(vm.name);
        assertThat(sh.fail("exit 2").exitCode()).isEqualTo(2);

        sh.waitForPort(22, Duration.ofSeconds(60));
        sh.succeed("rm -f /tmp/flag; (sleep 2; touch /tmp/flag) >/dev/null 2>&1 &");
        assertThat(sh.waitUntilSucceeds("test -e /tmp/flag", Duration.ofSeconds(60))
                        .exitCode())
                .isZero();

        byte[] data = new byte[70_000];
        new Random(7).nextBytes(data);
        Path in = Files.write(tmp.resolve("in.bin"), data);
        Shell.on(ssh, Timing.standard()).copyIn(in, "/tmp/copied.bin");
        sh.copyOut("/tmp/copied.bin", tmp.resolve("out.bin"));
        assertThat(Files.readAllBytes(tmp.resolve("out.bin"))).isEqualTo(data);
    }

    /**
     * Round trip of {@code true} (p50/p99 of 50) and output throughput (1 MiB of random bytes
     * from a guest file) per channel. Prints a table and writes it to
     * target/channel-benchmark.md; docs/benchmarks.md quotes it.
     */
    @Test
    @EnabledIfSystemProperty(
            named = "vmc.bench",
            matches = "true",
            disabledReason = "a benchmark, not a test: -Dvmc.bench=true runs it (docs/benchmarks.md)")
    void benchmark() throws IOException {
        int rounds = Integer.getInteger("vmc.bench.rounds", 50);
        int mib = 1;
        Shell.on(console, Timing.standard()).succeed("head -c " + (mib << 20) + " /dev/urandom > /tmp/bench.bin", CMD);
        StringBuilder table =
                new StringBuilder("| channel | `true` p50 | `true` p99 | output MB/s |\n|---|---|---|---|\n");
        for (String kind : channels().toList()) {
            CommandChannel ch = channel(kind);
            long[] ms = new long[rounds];
            for (int i = 0; i < rounds; i++) {
                long t0 = System.nanoTime();
                assertThat(ch.run("true", CMD).exitCode()).isZero();
                ms[i] = (System.nanoTime() - t0) / 1_000_000;
            }
            java.util.Arrays.sort(ms);
            long t0 = System.nanoTime();
            CommandResult big = ch.run("cat /tmp/bench.bin", CMD);
            double seconds = (System.nanoTime() - t0) / 1e9;
            assertThat(big.stdout()).hasSize(mib << 20);
            double mbps = (mib << 20) / 1e6 / seconds;
            table.append(String.format(
                    "| %s | %d ms | %d ms | %.2f |%n",
                    kind, ms[rounds / 2], ms[Math.min(rounds - 1, (int) Math.ceil(rounds * 0.99) - 1)], mbps));
        }
        Shell.on(console, Timing.standard()).succeed("rm -f /tmp/bench.bin");
        System.out.println(table);
        Files.writeString(Path.of("target/channel-benchmark.md"), table);
    }

    private static String md5(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(data));
    }
}
