package io.vmcluster.qemu;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The {@code -cpu} model a KVM guest gets: the host's own CPU ({@code host}), except that on AMD
 * hosts the {@code arch-capabilities} feature is switched off.
 *
 * <p><b>Why.</b> On some AMD hosts (nested virtualisation, some cloud kernels) QEMU aborts 0.7 s
 * after start under {@code -cpu host}: {@code failed to set MSR 0x10a to 0x69} followed by
 * {@code kvm_buf_set_msrs: Assertion ... failed} (exit 134). MSR 0x10a is
 * IA32_ARCH_CAPABILITIES. AMD CPUs have no such register; KVM emulates it and offers the bits it
 * synthesises (0x69: RDCL_NO, SKIP_L1DFL_VMENTRY, MDS_NO, PSCHANGE_MC_NO), QEMU's {@code host}
 * model passes them on, and the host's KVM then refuses the write (kernel changes of 2024 reject
 * a non-zero value that the guest's CPUID does not announce or that exceeds what KVM supports).
 * With {@code arch-capabilities=off} QEMU clears the CPUID bit and, through its feature
 * dependencies ({@code target/i386/cpu.c}), the whole MSR word, and writes 0, which KVM accepts
 * from userspace. Seen on an AMD EPYC host with QEMU 7.2: {@code -cpu host} aborts as above,
 * {@code -cpu host,arch-capabilities=off} starts and runs guest code (that host then hung the guest
 * for another reason, nested virtualisation without SVM, which {@code auto} falls back from). The bits only
 * say "not vulnerable to" Intel-only flaws (Meltdown, MDS, iTLB multihit), which a Linux guest
 * already rules out for an AMD CPU from its vendor, so the guest loses nothing. On Intel the
 * register is real and tells the guest which mitigations it may skip, so {@code host} stays.
 *
 * <p>{@code vmc.kvm.cpu} (system property) or {@code VMC_KVM_CPU} (environment) replaces the
 * choice, e.g. {@code VMC_KVM_CPU=host,arch-capabilities=off} on an Intel host with the same
 * failure, or a named model such as {@code EPYC}.
 */
public final class KvmCpu {
    /** The model for Intel (and every non-AMD) host. */
    public static final String HOST = "host";
    /** The model for AMD hosts. */
    public static final String AMD_HOST = "host,arch-capabilities=off";

    private KvmCpu() {}

    /** The model for this host: the setting if there is one, else by the vendor in /proc/cpuinfo. */
    public static String forThisHost() {
        return forCpuinfo(Path.of("/proc/cpuinfo"));
    }

    /** The model for the host whose /proc/cpuinfo is {@code cpuinfo} (the setting still wins). */
    public static String forCpuinfo(Path cpuinfo) {
        return choose(setting(), vendor(cpuinfo));
    }

    /** The model for a host whose /proc/cpuinfo says {@code vendorId}, unless {@code setting} names one. */
    static String choose(Optional<String> setting, Optional<String> vendorId) {
        if (setting.isPresent()) {
            return setting.get();
        }
        return vendorId.filter("AuthenticAMD"::equals).isPresent() ? AMD_HOST : HOST;
    }

    /** {@code vmc.kvm.cpu}, else {@code VMC_KVM_CPU}, if set and not blank. */
    static Optional<String> setting() {
        String value = System.getProperty("vmc.kvm.cpu");
        if (value == null || value.isBlank()) {
            value = System.getenv("VMC_KVM_CPU");
        }
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.strip());
    }

    /** The {@code vendor_id} of the first CPU in {@code cpuinfo}, if readable. */
    static Optional<String> vendor(Path cpuinfo) {
        try {
            return Files.readAllLines(cpuinfo).stream()
                    .filter(l -> l.startsWith("vendor_id"))
                    .map(l -> l.substring(l.indexOf(':') + 1).strip())
                    .findFirst();
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
