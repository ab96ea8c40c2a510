package io.vmcluster.qemu;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KvmCpuTest {
    @TempDir
    Path dir;

    @Test
    void kvmGuestsGetTheHostCpuWithoutArchCapabilitiesOnAmdOnly() {
        assertThat(KvmCpu.choose(Optional.empty(), Optional.of("AuthenticAMD")))
                .as("AMD: IA32_ARCH_CAPABILITIES is emulated and can abort QEMU")
                .isEqualTo("host,arch-capabilities=off");
        assertThat(KvmCpu.choose(Optional.empty(), Optional.of("GenuineIntel"))).isEqualTo("host");
        assertThat(KvmCpu.choose(Optional.empty(), Optional.empty())).isEqualTo("host");
        assertThat(KvmCpu.choose(Optional.of("EPYC"), Optional.of("AuthenticAMD")))
                .as("the setting wins")
                .isEqualTo("EPYC");
    }

    @Test
    void theVendorIsTheFirstCpusVendorId() throws Exception {
        Path cpuinfo = Files.writeString(dir.resolve("cpuinfo"), """
                processor\t: 0
                vendor_id\t: AuthenticAMD
                cpu family\t: 25
                flags\t\t: fpu vme de pse tsc msr
                processor\t: 1
                vendor_id\t: AuthenticAMD
                """);
        assertThat(KvmCpu.vendor(cpuinfo)).contains("AuthenticAMD");
        assertThat(KvmCpu.vendor(dir.resolve("missing"))).isEmpty();
    }
}
