package io.vmcluster.reaper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RunIdTest {
    @Test
    void randomIdsAreShortLowercaseAndDistinct() {
        RunId a = RunId.random();
        assertThat(a.value()).matches("[a-z0-9]{8}");
        assertThat(RunId.random()).isNotEqualTo(a);
    }

    @Test
    void rejectsWhatCouldEscapeTheBaseDirectory() {
        assertThatThrownBy(() -> new RunId("../x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RunId("ABC")).isInstanceOf(IllegalArgumentException.class);
        assertThat(RunId.isValid(".reclaim-x-1")).isFalse();
    }
}
