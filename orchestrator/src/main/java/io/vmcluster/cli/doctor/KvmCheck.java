package io.vmcluster.cli.doctor;

import io.vmcluster.qemu.KvmCpu;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Can guests use KVM? Without a boot, doctor can only tell "absent", "not accessible" or "present";
 * a present {@code /dev/kvm} can still fail in two known ways, which only a real boot shows: a
 * guest that hangs after "Probing EDD" (nested virtualisation without vmx/svm), and QEMU aborting
 * at start with {@code failed to set MSR 0x10a} (IA32_ARCH_CAPABILITIES under {@code -cpu host} on
 * some AMD hosts). {@code --probe-kvm} runs {@link KvmBootProbe} and its verdict is used here.
 */
public final class KvmCheck implements HostCheck {
    static final String NAME = "KVM";

    private final Optional<KvmBootProbe.Verdict> probe;

    /** @param probe the result of a probe boot, if one was asked for */
    public KvmCheck(Optional<KvmBootProbe.Verdict> probe) {
        this.probe = probe;
    }

    @Override
    public CheckResult run(HostContext host) {
        Path dev = host.file("/dev/kvm");
        if (!Files.exists(dev)) {
            return CheckResult.warn(
                    NAME,
                    "no /dev/kvm: guests run under TCG emulation (about 10x slower)",
                    "enable virtualisation (VT-x/AMD-V) in the firmware or nested virtualisation in the host VM,"
                            + " then modprobe kvm_intel or kvm_amd");
        }
        if (!Files.isReadable(dev) || !Files.isWritable(dev)) {
            return CheckResult.warn(
                    NAME,
                    "/dev/kvm exists but this user cannot open it: TCG",
                    "add the user to group kvm, or run as root");
        }
        String cpu = KvmCpu.forCpuinfo(host.file("/proc/cpuinfo"));
        boolean cpuFlags = cpuHasVirtualisation(host);
        String flags =
                cpuFlags ? "CPU flags show vmx/svm" : "CPU flags show no vmx/svm (nested virtualisation incomplete?)";
        if (probe.isEmpty()) {
            return CheckResult.warn(
                    NAME,
                    "/dev/kvm present, " + flags + "; not proven by a boot",
                    "run `vmcluster doctor --probe-kvm` to boot a test kernel under KVM (-cpu " + cpu + ");"
                            + " `--accel tcg` always works, `--accel auto` falls back to TCG when KVM fails"
                            + " (QEMU exits, e.g. 'failed to set MSR 0x10a', or the guest shows no sign of life)");
        }
        KvmBootProbe.Verdict v = probe.get();
        return switch (v.kind()) {
            case BOOTS ->
                CheckResult.ok(NAME, "a guest kernel booted under KVM, -cpu " + cpu + " (" + v.detail() + ")");
            case HANGS ->
                CheckResult.warn(
                        NAME,
                        "/dev/kvm present but a guest hangs under KVM (" + v.detail() + "); " + flags,
                        "use --accel tcg (auto does); for KVM, enable nested virtualisation with vmx/svm exposed to this VM");
            case FAILS -> failed(v.detail(), cpu);
            case NOT_RUN -> CheckResult.warn(NAME, "/dev/kvm present, " + flags + "; probe not run: " + v.detail(), "");
        };
    }

    /** QEMU exited under KVM: name the known failure modes and their fixes. */
    private static CheckResult failed(String detail, String cpu) {
        String found = "QEMU refused KVM (-cpu " + cpu + "): " + detail;
        if (detail.contains("failed to set MSR 0x10a")) {
            return CheckResult.warn(
                    NAME,
                    found,
                    "KVM refuses the IA32_ARCH_CAPABILITIES value (MSR 0x10a) QEMU's CPU model sets, a known"
                            + " KVM/QEMU mismatch on AMD hosts; --accel auto falls back to TCG by itself. For KVM, try"
                            + " VMC_KVM_CPU=host,arch-capabilities=off (vmcluster's choice on AMD) or a named model"
                            + " (VMC_KVM_CPU=EPYC), or update the host kernel and QEMU");
        }
        if (detail.contains("failed to set MSR")) {
            return CheckResult.warn(
                    NAME,
                    found,
                    "KVM refuses an MSR QEMU's CPU model sets; --accel auto falls back to TCG by itself. For KVM,"
                            + " try a named CPU model (VMC_KVM_CPU=EPYC or VMC_KVM_CPU=Skylake-Client), or update the"
                            + " host kernel and QEMU");
        }
        return CheckResult.warn(
                NAME,
                found,
                "--accel auto falls back to TCG by itself; --accel tcg always works;"
                        + " for KVM, check access to /dev/kvm and the host's KVM module");
    }

    static boolean cpuHasVirtualisation(HostContext host) {
        try {
            String cpuinfo = Files.readString(host.file("/proc/cpuinfo"));
            return cpuinfo.lines().filter(l -> l.startsWith("flags")).anyMatch(l -> l.matches(".*\\b(vmx|svm)\\b.*"));
        } catch (IOException e) {
            return false;
        }
    }
}
