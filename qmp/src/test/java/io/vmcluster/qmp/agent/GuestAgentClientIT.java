package io.vmcluster.qmp.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vmcluster.qmp.QmpClientOptions;
import io.vmcluster.qmp.QmpCommandException;
import io.vmcluster.qmp.QmpTimeoutException;
import io.vmcluster.qmp.testing.GuestAgentProcess;
import io.vmcluster.qmp.testing.TestTiming;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.condition.EnabledIf;

/** The guest-agent client against a real {@code qemu-ga -m unix-listen} on the host. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@EnabledIf("io.vmcluster.qmp.testing.GuestAgentProcess#available")
class GuestAgentClientIT {
    static final Duration WAIT = TestTiming.scaled(Duration.ofSeconds(10));

    GuestAgentProcess agent;
    GuestAgentClient client;

    @BeforeAll
    void start() throws Exception {
        agent = GuestAgentProcess.start();
        try {
            client = GuestAgentClient.connect(
                    agent.socket(),
                    QmpClientOptions.DEFAULTS
                            .withConnectTimeout(WAIT)
                            .withDefaultTimeout(WAIT)
                            .withName("it"));
        } catch (Exception e) {
            throw new AssertionError("could not connect to qemu-ga; its log:\n" + agent.log(), e);
        }
    }

    @AfterAll
    void stop() {
        try {
            if (client != null) {
                client.close();
            }
        } finally {
            agent.close();
        }
    }

    @Test
    void pingAnswers() {
        client.ping(WAIT);
    }

    @Test
    void execReturnsExitCodeStdoutAndStderr() {
        GuestExecResult result = client.exec(
                List.of("/bin/sh", "-c", "read line; echo out:$line; echo err >&2; exit 3"),
                "hello\n".getBytes(StandardCharsets.UTF_8),
                WAIT);
        assertThat(result.exitCode()).as("%s", result).isEqualTo(3);
        assertThat(result.stdoutText()).isEqualTo("out:hello\n");
        assertThat(result.stderrText()).isEqualTo("err\n");
        assertThat(result.succeeded()).isFalse();
    }

    @Test
    void execPollsUntilASlowProcessExits() {
        GuestExecResult result = client.exec(List.of("/bin/sh", "-c", "sleep 0.5; echo done"), null, WAIT);
        assertThat(result.exitCode()).as("%s", result).isZero();
        assertThat(result.stdoutText()).isEqualTo("done\n");
    }

    @Test
    void execOfAMissingProgramFailsWithTheAgentsError() {
        assertThatThrownBy(() -> client.exec(List.of("/nonexistent/program"), null, WAIT))
                .isInstanceOf(QmpCommandException.class)
                .hasMessageContaining("guest-exec");
    }

    @Test
    void fileWriteThenReadRoundTrips() throws Exception {
        String path = agent.dir().resolve("round-trip.bin").toString();
        byte[] data = new byte[2_500_000]; // more than two 1 MiB chunks each way
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 31);
        }
        client.writeFile(path, data);
        assertThat(Files.readAllBytes(agent.dir().resolve("round-trip.bin"))).isEqualTo(data);
        assertThat(client.readFile(path)).isEqualTo(data);
    }

    @Test
    void getTimeIsTheHostClockHere() {
        Instant before = Instant.now();
        Instant guest = client.getTime();
        assertThat(Duration.between(before, guest).abs()).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void setTimeIsBlockedOnTheHostAndTheErrorNamesIt() {
        assertThatThrownBy(() -> client.setTime(Instant.now())).isInstanceOfSatisfying(QmpCommandException.class, e -> {
            assertThat(e.error().command()).isEqualTo("guest-set-time");
            assertThat(e.error().description()).contains("disabled");
        });
    }

    @Test
    void resyncDropsAHalfSentRequestLeftInTheAgentsParser() throws Exception {
        client.sendRawForTest(
                "{\"execute\": \"guest-file-open\", \"arguments\": {\"path\": \"/x".getBytes(StandardCharsets.UTF_8));
        client.requireSyncForTest();
        client.ping(WAIT);
        assertThat(client.getTime()).isNotNull();
    }

    @Test
    void aStaleReplyAfterATimeoutIsDiscarded() {
        assertThatThrownBy(() -> client.execute("guest-info", null, Duration.ofNanos(1)))
                .isInstanceOf(QmpTimeoutException.class)
                .hasMessageContaining("guest-info");
        // the guest-info reply arrives late, before the resync's 0xFF, and must not answer this:
        assertThat(client.execute("guest-get-time", null, WAIT).isIntegralNumber())
                .isTrue();
    }
}
