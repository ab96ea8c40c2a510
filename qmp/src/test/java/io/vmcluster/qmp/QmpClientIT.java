package io.vmcluster.qmp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vmcluster.qmp.testing.QemuProcess;
import io.vmcluster.qmp.testing.TestTiming;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.condition.EnabledIf;

/** The client against a real {@code qemu-system-x86_64 -machine none}. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@EnabledIf("io.vmcluster.qmp.testing.QemuProcess#available")
class QmpClientIT {
    static final Duration WAIT = TestTiming.scaled(Duration.ofSeconds(10));

    QemuProcess qemu;
    QmpClient client;

    @BeforeAll
    void boot() throws Exception {
        qemu = QemuProcess.start();
        client = QmpClient.connect(
                qemu.qmpSocket(),
                QmpClientOptions.DEFAULTS.withConnectTimeout(WAIT).withName("it"));
    }

    @AfterAll
    void shutdown() {
        try {
            if (client != null) {
                client.close();
            }
        } finally {
            qemu.close();
        }
    }

    @Test
    void greetingCarriesVersionAndCapabilities() throws Exception {
        QmpGreeting greeting = client.greeting();
        assertThat(greeting.version().atLeast(7, 0))
                .as("QEMU version %s", greeting.version())
                .isTrue();
        assertThat(greeting.capabilities()).as("7.2 offers oob").contains("oob");
        QmpVersion queried = client.commands().queryVersion().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(queried).isEqualTo(greeting.version());
    }

    @Test
    void stopAndContRaiseStopAndResumeEventsInOrder() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        try (QmpSubscription subscription = client.subscribe(e -> seen.add(e.name()))) {
            var stopEvent = client.awaitEvent("STOP", WAIT);
            client.commands().stop().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(stopEvent).as("STOP arrives before the reply to stop").isDone();
            assertThat(client.commands().queryStatus().get().paused()).isTrue();
            var resumeEvent = client.awaitEvent("RESUME", WAIT);
            client.commands().cont().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            resumeEvent.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(client.commands().queryStatus().get()).isEqualTo(new VmStatus("running", true));
            assertThat(seen).containsSubsequence("STOP", "RESUME");
        }
    }

    @Test
    void unknownCommandFailsWithCommandNotFound() {
        assertThatThrownBy(() -> client.execute("no-such-command", null).get(WAIT.toMillis(), TimeUnit.MILLISECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause()
                .isInstanceOfSatisfying(QmpCommandException.class, e -> {
                    assertThat(e.error().errorClass()).isEqualTo("CommandNotFound");
                    assertThat(e.error().command()).isEqualTo("no-such-command");
                    assertThat(e.error().description()).contains("no-such-command");
                });
    }
}
