package io.vmcluster.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ProcessSpecTest {
    @Test
    void diesWithTheJvmByDefault() {
        assertThat(ProcessSpec.of("qemu-system-x86_64", "-accel", "tcg").commandLine())
                .containsExactly("setpriv", "--pdeathsig", "KILL", "--", "qemu-system-x86_64", "-accel", "tcg");
    }

    @Test
    void entersTheNamespaceAfterSettingTheDeathSignal() {
        assertThat(ProcessSpec.of("qemu").inNetworkNamespace("vmc-abc-1").commandLine())
                .containsExactly(
                        "setpriv", "--pdeathsig", "KILL", "--", "nsenter", "--net=/run/netns/vmc-abc-1", "--", "qemu");
    }

    @Test
    void outlivingTheJvmDropsSetpriv() {
        assertThat(ProcessSpec.of("sleep", "1").outliveJvm().commandLine()).containsExactly("sleep", "1");
    }

    @Test
    void emptyArgvIsRejected() {
        assertThatThrownBy(() -> ProcessSpec.of()).isInstanceOf(IllegalArgumentException.class);
    }
}
