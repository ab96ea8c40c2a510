package io.vmcluster.time;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class WaitTest {
    private final Timing fast = Timing.withMultiplier(1);

    @Test
    void returnsTheFirstValueTheProbeYields() {
        AtomicInteger tries = new AtomicInteger();
        String value = Wait.forCondition("the third try")
                .timing(fast)
                .every(Duration.ofMillis(1))
                .atMost(Duration.ofSeconds(5))
                .until(() -> tries.incrementAndGet() < 3 ? null : "done");
        assertThat(value).isEqualTo("done");
        assertThat(tries).hasValue(3);
    }

    @Test
    void timeoutSaysWhatWasAwaitedAndWhatTheLastTrySaw() {
        assertThatThrownBy(() -> Wait.forCondition("etcd to elect a leader")
                        .timing(fast)
                        .every(Duration.ofMillis(5))
                        .atMost(Duration.ofMillis(60))
                        .until(() -> {
                            throw Wait.notYet("no leader among node1, node2");
                        }))
                .isInstanceOf(WaitTimeoutException.class)
                .hasMessageContaining("waiting for etcd to elect a leader")
                .hasMessageContaining("last try: no leader among node1, node2");
    }

    @Test
    void lastErrorIsKeptAsCause() {
        assertThatThrownBy(() -> Wait.forCondition("a connection")
                        .timing(fast)
                        .every(Duration.ofMillis(5))
                        .atMost(Duration.ofMillis(30))
                        .until(() -> {
                            throw new java.io.IOException("connection refused");
                        }))
                .isInstanceOf(WaitTimeoutException.class)
                .hasMessageContaining("last error: connection refused")
                .hasCauseInstanceOf(java.io.IOException.class);
    }

    @Test
    void giveUpStopsAtOnce() {
        AtomicInteger tries = new AtomicInteger();
        assertThatThrownBy(() -> Wait.forCondition("a VM that died")
                        .timing(fast)
                        .atMost(Duration.ofSeconds(30))
                        .until(() -> {
                            tries.incrementAndGet();
                            throw Wait.giveUp("QEMU exited with status 1");
                        }))
                .isInstanceOf(Wait.GiveUp.class)
                .hasMessage("QEMU exited with status 1");
        assertThat(tries).hasValue(1);
    }

    @Test
    void multiplierScalesTheBound() {
        assertThat(Timing.withMultiplier(3).scale(Duration.ofSeconds(2))).isEqualTo(Duration.ofSeconds(6));
    }

    @Test
    void durationsParseAndRejectWithTheAcceptedForms() {
        assertThat(Durations.parse("250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(Durations.parse("1.5s")).isEqualTo(Duration.ofMillis(1500));
        assertThat(Durations.parse("2m")).isEqualTo(Duration.ofMinutes(2));
        assertThatThrownBy(() -> Durations.parse("5 seconds"))
                .hasMessageContaining("'5 seconds' is not a duration")
                .hasMessageContaining("250ms, 5s");
    }
}
