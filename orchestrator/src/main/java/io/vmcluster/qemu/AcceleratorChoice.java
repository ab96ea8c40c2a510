package io.vmcluster.qemu;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * Resolves {@link Accelerator#AUTO} for one cluster: KVM when {@code /dev/kvm} is usable, until
 * a KVM guest shows no sign of life; from then on TCG for every later (re)start. Thread-safe:
 * nodes boot in parallel and may fall back at the same time; only the first fallback reports.
 */
public final class AcceleratorChoice {
    private final Accelerator requested;
    private final KvmProbe.Result kvm;
    private final AtomicBoolean fellBack = new AtomicBoolean();

    public AcceleratorChoice(Accelerator requested, Supplier<KvmProbe.Result> probe) {
        this.requested = Objects.requireNonNull(requested, "requested");
        this.kvm = requested == Accelerator.TCG ? new KvmProbe.Result(false, "not asked for") : probe.get();
    }

    public Accelerator requested() {
        return requested;
    }

    /** Why KVM is or is not considered usable. */
    public KvmProbe.Result kvmProbe() {
        return kvm;
    }

    /**
     * The accelerator for the next start of a VM.
     *
     * @throws IllegalStateException when KVM was asked for explicitly and /dev/kvm is unusable
     */
    public Accelerator next() {
        return switch (requested) {
            case TCG -> Accelerator.TCG;
            case KVM -> {
                if (!kvm.usable()) {
                    throw new IllegalStateException(
                            "accelerator kvm was asked for but " + kvm.reason() + "; use accelerator auto or tcg");
                }
                yield Accelerator.KVM;
            }
            case AUTO -> kvm.usable() && !fellBack.get() ? Accelerator.KVM : Accelerator.TCG;
        };
    }

    /** Whether a VM started with {@code used} should be restarted under TCG if it shows no sign of life. */
    public boolean mayFallBack(Accelerator used) {
        return requested == Accelerator.AUTO && used == Accelerator.KVM;
    }

    /** Records that KVM showed no sign of life; true for the first such report (log the warning then). */
    public boolean fallBack() {
        return fellBack.compareAndSet(false, true);
    }
}
