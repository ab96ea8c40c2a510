package io.vmcluster.time;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TimingTest {
    @Test
    void aMultiplierIsAPositiveNumber() {
        assertThat(Timing.parseMultiplier("2")).isEqualTo(2.0);
        assertThat(Timing.parseMultiplier(" 1.5 ")).isEqualTo(1.5);
    }

    @Test
    void anythingElseIsRejectedWithTheValueAndWhatWouldBeValid() {
        for (String bad : new String[] {"2x", "0", "-1", "NaN", "Infinity", "1e9", ""}) {
            assertThatThrownBy(() -> Timing.parseMultiplier(bad))
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("VMC_TIMING_MULTIPLIER")
                    .hasMessageContaining("such as 2 or 1.5")
                    .hasMessageContaining("'" + bad + "'");
        }
    }

    @Test
    void nominalUndoesScaleAndIsNeverZero() {
        Timing t = Timing.withMultiplier(2.5);
        assertThat(t.nominal(t.scale(java.time.Duration.ofMillis(1234)))).isEqualTo(java.time.Duration.ofMillis(1234));
        assertThat(t.nominal(java.time.Duration.ofSeconds(5))).isEqualTo(java.time.Duration.ofSeconds(2));
        assertThat(t.nominal(java.time.Duration.ZERO)).isEqualTo(java.time.Duration.ofNanos(1));
    }
}
