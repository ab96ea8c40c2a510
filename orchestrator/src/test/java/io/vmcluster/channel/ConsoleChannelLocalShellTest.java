package io.vmcluster.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.vmcluster.command.CommandResult;
import io.vmcluster.command.CommandTimeoutException;
import io.vmcluster.command.ShellQuote;
import io.vmcluster.time.Timing;
import io.vmcluster.time.Wait;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The console wrapper ({@link ConsoleScript}) end to end against a real interactive dash on a
 * pty — what the guest's hvc0 gives, without the VM: socat listens where QEMU's chardev socket
 * would be and runs {@code dash -i} with the pty as its controlling tty (job control on). Fast
 * enough to run with the unit tests; {@code CommandChannelsIT} runs the same against the guest.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleChannelLocalShellTest {
    private static final Duration CMD = Duration.ofSeconds(20);

    private Path dir;
    private Path guestDir;
    private Process socat;
    private ConsoleChannel console;

    @BeforeAll
    void start() throws Exception {
        assumeThat(onPath("socat") && onPath("dash"))
                .as("socat and dash installed")
                .isTrue();
        dir = Files.createTempDirectory("vmc-console-local-");
        Path socket = dir.resolve("console.sock");
        socat = shellOnPty(socket, "dash -i", dir.resolve("socat.out"));
        console = ConsoleChannel.connect("local", socket, line -> {}, Timing.withMultiplier(1), Duration.ofSeconds(10));
        console.awaitShell(Duration.ofSeconds(10));
        guestDir = Files.createDirectory(dir.resolve("tmp"));
        console.guestDirectory(guestDir.toString());
    }

    @AfterAll
    void stop() throws Exception {
        if (console != null) {
            console.close();
        }
        if (socat != null) {
            socat.destroy();
            socat.waitFor(5, TimeUnit.SECONDS);
        }
        if (dir != null) {
            try (var files = Files.walk(dir)) {
                for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(f);
                }
            }
        }
    }

    /** socat listening where QEMU's chardev socket would be, running {@code program} on a pty as its tty. */
    private static Process shellOnPty(Path socket, String program, Path output) throws IOException {
        return new ProcessBuilder("socat", "UNIX-LISTEN:" + socket, "EXEC:" + program + ",pty,setsid,ctty,stderr")
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .start();
    }

    private static boolean onPath(String program) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(d, program))) {
                return true;
            }
        }
        return false;
    }

    @Test
    void exitCodeStdoutAndStderrApart() {
        CommandResult r = console.run("echo to-out; echo to-err >&2; printf 'no newline'; exit 7", CMD);
        assertThat(r.exitCode()).isEqualTo(7);
        assertThat(r.stdoutText()).isEqualTo("to-out\nno newline");
        assertThat(r.stderrText()).isEqualTo("to-err\n");
        assertThat(console.run("true", CMD).stdout()).isEmpty();
    }

    @Test
    void eachCommandStartsCleanAndLeavesNothingInTheShell() {
        String before = console.run("pwd", CMD).stdoutText();
        // The wrapper's own variables, function and positional parameters (its wc result) are
        // not the command's: it runs in a subshell of the console shell that starts without them.
        console.run("echo to-out; echo to-err >&2", CMD);
        CommandResult seen =
                console.run("echo \"[$#][$1][$c][$f][$t][$p][$rc][$n][$m]\"; type x >/dev/null 2>&1 || echo no-x", CMD);
        assertThat(seen.stdoutText()).isEqualTo("[0][][][][][][][][]\nno-x\n");
        // What a command changes stays in its subshell.
        console.run("cd /; a=1; export Y=2; x() { :; }; set -- p q", CMD);
        assertThat(console.run("echo \"[$a][$Y][$#]\"; pwd", CMD).stdoutText()).isEqualTo("[][][0]\n" + before);
        assertThat(console.run("return 4", CMD).exitCode()).isEqualTo(4);
    }

    @Test
    void aShellThatNeverSawASyncIsSetUpByTheNextCommand() throws Exception {
        // The guest's hvc0 after a reboot between two commands: a new root shell (echo on, a
        // prompt) that the channel, still synced, never probed.
        Path own = Files.createDirectory(dir.resolve("respawn"));
        Path shells = own.resolve("shells");
        Path script = own.resolve("respawn.sh");
        Files.writeString(script, "set -m; while :; do echo up >>" + shells + "; stty sane; dash -i; done\n");
        Path socket = own.resolve("console.sock");
        Process loop = shellOnPty(socket, "sh " + script, own.resolve("socat.out"));
        try (ConsoleChannel respawning = ConsoleChannel.connect(
                "respawn", socket, line -> {}, Timing.withMultiplier(1), Duration.ofSeconds(10))) {
            respawning.awaitShell(Duration.ofSeconds(10));
            respawning.guestDirectory(guestDir.toString());
            long first = Long.parseLong(respawning.run("echo $$", CMD).stdoutLine());
            ProcessHandle.of(first).orElseThrow().destroyForcibly();
            Wait.forCondition("a second dash on the pty")
                    .atMost(Duration.ofSeconds(10))
                    .every(Duration.ofMillis(20))
                    .untilTrue(() -> Files.readAllLines(shells).size() == 2);
            CommandResult r = respawning.run("echo after; echo \"[$$]\" >&2", CMD);
            assertThat(r.exitCode()).isZero();
            assertThat(r.stdoutText()).isEqualTo("after\n");
            assertThat(r.stderrText()).isNotEqualTo("[" + first + "]\n").startsWith("[");
            assertThat(respawning.run("echo again", CMD).stdoutText()).isEqualTo("again\n");
        } finally {
            loop.destroy();
            loop.waitFor(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void quotesTabsAndControlCharactersSurvive() {
        String plain = "it's \"quoted\" $HOME `id` \\ \t tab\nnew line";
        String control = "bell\u0007 ctrl-c\u0003 ctrl-u\u0015 cr\r é";
        for (String text : new String[] {plain, control}) {
            CommandResult r = console.run("printf '%s' " + ShellQuote.quote(text), CMD);
            assertThat(r.stdoutText()).isEqualTo(text);
        }
    }

    @Test
    void stdinAndBinaryOutputRoundTrip() {
        byte[] data = new byte[3 * GuestScript.CHUNK + 5];
        new Random(3).nextBytes(data);
        CommandResult r = console.run("cat; echo done >&2", data, CMD);
        assertThat(r.stdout()).isEqualTo(data);
        assertThat(r.stderrText()).isEqualTo("done\n");
    }

    @Test
    void aTimeoutKillsTheWholeGroupAndKeepsThePartialOutput() {
        String marker = uniqueSleep();
        assertThatThrownBy(() -> console.run(
                        "echo started; sleep " + marker + " & sleep " + marker + "; echo never", Duration.ofSeconds(1)))
                .isInstanceOfSatisfying(CommandTimeoutException.class, e -> {
                    assertThat(e.partial()).isNotNull();
                    assertThat(e.partial().stdoutText()).isEqualTo("started\n");
                });
        assertThat(console.run("echo next", CMD).stdoutText()).isEqualTo("next\n");
        assertThat(console.run("ps -eo args | grep -cx 'sleep " + marker + "'", CMD)
                        .stdoutLine())
                .as("both sleeps of the group were killed")
                .isEqualTo("0");
    }

    /**
     * A wait's last try may get a budget of nearly nothing. Ctrl-C typed before the shell has read
     * the command line flushes that line (the tty discards its input), so no reply would ever come:
     * seen on a guest as "did not finish within 0 ms (no reply on the console within 20000 ms …)",
     * 20 s late. A guest under TCG is slow to read; here strace delays each of dash's reads by 20 ms (the script is about 20 lines).
     */
    @Test
    void aCommandWithNoTimeLeftIsStillStartedAndAnsweredPromptly() throws Exception {
        assumeThat(onPath("strace")).as("strace installed").isTrue();
        Path slowDir = Files.createDirectory(dir.resolve("slow"));
        Path socket = slowDir.resolve("console.sock");
        // a script, since socat's EXEC address would split strace's option at its colon
        Path slowShell = slowDir.resolve("slow-dash");
        Files.writeString(
                slowShell, "#!/bin/sh\nexec strace -f -o /dev/null -e inject=read:delay_enter=20000 dash -i\n");
        slowShell.toFile().setExecutable(true);
        Process slow = shellOnPty(socket, slowShell.toString(), slowDir.resolve("socat.out"));
        try (ConsoleChannel c =
                ConsoleChannel.connect("slow", socket, line -> {}, Timing.withMultiplier(1), Duration.ofSeconds(10))) {
            c.awaitShell(Duration.ofSeconds(20));
            c.guestDirectory(Files.createDirectory(slowDir.resolve("tmp")).toString());
            long start = System.nanoTime();
            try {
                CommandResult r = c.run("echo quick", Duration.ZERO);
                assertThat(r.stdoutText()).isEqualTo("quick\n");
            } catch (CommandTimeoutException e) {
                assertThat(e.getMessage()).contains("killed in the guest").doesNotContain("no reply");
            }
            assertThat(Duration.ofNanos(System.nanoTime() - start))
                    .as("answered (or killed) within the channel's least time for a command, not after the grace")
                    .isLessThan(Duration.ofSeconds(10));
            assertThat(c.run("echo next", CMD).stdoutText()).isEqualTo("next\n");
        } finally {
            slow.destroy();
            slow.waitFor(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void aBackgroundChildHoldingStdoutDoesNotHangTheCall() {
        String marker = uniqueSleep();
        try {
            CommandResult r = console.run("sleep " + marker + " & echo started", CMD);
            assertThat(r.stdoutText()).isEqualTo("started\n");
            // the background child may not have exec'd sleep yet when the call returns: wait for it
            CommandResult running = Shell.on(console, Timing.withMultiplier(1))
                    .waitUntilSucceeds(
                            "test $(ps -eo args | grep -cx 'sleep " + marker + "') -eq 1", Duration.ofSeconds(10));
            assertThat(running.exitCode()).isZero();
        } finally {
            console.run("pkill -xf 'sleep " + marker + "'", CMD);
        }
    }

    @Test
    void manyCommandsLeaveNoFilesBehind() throws IOException {
        for (int i = 0; i < 40; i++) {
            assertThat(console.run("echo " + i, CMD).stdoutText()).isEqualTo(i + "\n");
        }
        // Files of at most the current batch (16) and this command remain; the rm is detached.
        CommandResult left = Shell.on(console, Timing.withMultiplier(1))
                .waitUntilSucceeds(
                        "test $(ls " + ShellQuote.quote(guestDir.toString()) + " | grep -c '^vmc-c-') -le 34",
                        Duration.ofSeconds(10));
        assertThat(left.exitCode()).isZero();
    }

    /**
     * A sleep argument no other process on this host has: these tests count {@code sleep} processes
     * on the host, where other checkouts' test runs (and processes a killed run left) also sleep.
     * Matched whole ({@code grep -x}), never as a prefix; at most 1000 s, so a leak ends by itself.
     */
    private static String uniqueSleep() {
        return "1000." + ProcessHandle.current().pid() + String.format("%09d", System.nanoTime() % 1_000_000_000L);
    }
}
