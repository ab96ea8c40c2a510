package io.vmcluster.cli.doctor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Can guests use KVM? Without a boot, doctor can only tell "absent", "not accessible" or "present";
 * a present {@code /dev/kvm} can still hang a guest (nested virtualisation without vmx/svm), which
 * only a real boot shows: {@code --probe-kvm} runs {@link KvmBootProbe} and its verdict is used here.
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
        boolean cpuFlags = cpuHasVirtualisation(host);
        String flags =
                cpuFlags ? "CPU flags show vmx/svm" : "CPU flags show no vmx/svm (nested virtualisation incomplete?)";
        if (probe.isEmpty()) {
            return CheckResult.warn(
                    NAME,
                    "/dev/kvm present, " + flags + "; not proven by a boot",
                    "run `vmcluster doctor --probe-kvm` to boot a test kernel under KVM;"
                            + " `--accel tcg` always works, `--accel auto` falls back to TCG when a KVM guest shows no sign of life");
        }
        KvmBootProbe.Verdict v = probe.get();
        return switch (v.kind()) {
            case BOOTS -> CheckResult.ok(NAME, "a guest kernel booted under KVM (" + v.detail() + ")");
            case HANGS ->
                CheckResult.warn(
                        NAME,
                        "/dev/kvm present but a guest hangs under KVM (" + v.detail() + "); " + flags,
                        "use --accel tcg (auto does); for KVM, enable nested virtualisation with vmx/svm exposed to this VM");
            case FAILS ->
                CheckResult.warn(NAME, "QEMU refused KVM: " + v.detail(), "use --accel tcg, or fix KVM access");
            case NOT_RUN -> CheckResult.warn(NAME, "/dev/kvm present, " + flags + "; probe not run: " + v.detail(), "");
        };
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
