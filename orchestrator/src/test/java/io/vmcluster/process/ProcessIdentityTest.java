package io.vmcluster.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ProcessIdentityTest {
    @Test
    void thisJvmIsAlive() {
        ProcessIdentity me = ProcessIdentity.current();
        assertThat(me.pid()).isEqualTo(ProcessHandle.current().pid());
        assertThat(me.startTime()).isPositive();
        assertThat(me.isAlive()).isTrue();
    }

    @Test
    void aReusedPidWithAnotherStartTimeIsNotAlive() {
        ProcessIdentity me = ProcessIdentity.current();
        assertThat(new ProcessIdentity(me.pid(), me.startTime() + 1).isAlive())
                .as("same pid, different start time: a different process")
                .isFalse();
    }

    @Test
    void roundTripsThroughText() {
        ProcessIdentity me = ProcessIdentity.current();
        assertThat(ProcessIdentity.parse(me.toString() + "\n")).isEqualTo(me);
        assertThatThrownBy(() -> ProcessIdentity.parse("12")).hasMessageContaining("PID STARTTIME");
        assertThatThrownBy(() -> ProcessIdentity.parse("a b")).hasMessageContaining("PID STARTTIME");
    }
}
