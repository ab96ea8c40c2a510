package io.vmcluster.qemu;

import java.util.Locale;

/** How QEMU runs guest code. */
public enum Accelerator {
    /** KVM when /dev/kvm is usable and a KVM guest shows signs of life, else TCG. */
    AUTO,
    /** Hardware virtualisation; {@code -accel kvm -cpu host}. */
    KVM,
    /** Emulation, works everywhere, slow; {@code -accel tcg -cpu max}. */
    TCG;

    /** {@code auto}, {@code kvm} or {@code tcg}, any case. */
    public static Accelerator parse(String text) {
        try {
            return valueOf(text.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("accelerator '" + text + "' is not one of auto, kvm, tcg");
        }
    }

    public String qemuName() {
        if (this == AUTO) {
            throw new IllegalStateException("AUTO is resolved to KVM or TCG before QEMU starts");
        }
        return name().toLowerCase(Locale.ROOT);
    }
}
