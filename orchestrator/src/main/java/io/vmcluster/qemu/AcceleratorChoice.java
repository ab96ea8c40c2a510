package io.vmcluster.qemu;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Decides the accelerator once per cluster. {@code tcg} is TCG; {@code kvm} is KVM or a failure
 * (never a silent fallback). {@code auto} with a usable {@code /dev/kvm} lets the first VM start
 * be the cluster's KVM trial: every other start waits for its verdict. If the trial VM shows a
 * sign of life, every VM of the cluster runs under KVM; if it fails in any way (QEMU exits, its
 * sockets never open, the guest prints nothing), every VM — that one, the others, and every
 * later restart — runs under TCG, and the fallback is reported once, by the trial.
 *
 * <p>Thread-safe: nodes boot in parallel.
 */
public final class AcceleratorChoice {
    private final Accelerator requested;
    private final KvmProbe.Result kvm;
    private final String kvmCpu;

    // guarded by this
    private Accelerator decided;
    private boolean trialRunning;
    private String fallbackReason;

    /** With the KVM CPU model this host calls for ({@link KvmCpu#forThisHost()}). */
    public AcceleratorChoice(Accelerator requested, Supplier<KvmProbe.Result> probe) {
        this(requested, probe, KvmCpu.forThisHost());
    }

    /**
     * @param probe asked once, unless TCG was requested
     * @param kvmCpu the {@code -cpu} value for KVM guests
     */
    public AcceleratorChoice(Accelerator requested, Supplier<KvmProbe.Result> probe, String kvmCpu) {
        this.requested = Objects.requireNonNull(requested, "requested");
        this.kvm = requested == Accelerator.TCG ? new KvmProbe.Result(false, "not asked for") : probe.get();
        this.kvmCpu = Objects.requireNonNull(kvmCpu, "kvmCpu");
        if (requested == Accelerator.TCG || (requested == Accelerator.AUTO && !kvm.usable())) {
            decided = Accelerator.TCG;
        } else if (requested == Accelerator.KVM) {
            decided = Accelerator.KVM;
        }
    }

    public Accelerator requested() {
        return requested;
    }

    /** Why KVM is or is not considered usable. */
    public KvmProbe.Result kvmProbe() {
        return kvm;
    }

    /** The {@code -cpu} value of KVM guests (see {@link KvmCpu}). */
    public String kvmCpu() {
        return kvmCpu;
    }

    /** KVM or TCG once decided (at once for {@code tcg}, {@code kvm}, and {@code auto} without a usable /dev/kvm). */
    public synchronized Optional<Accelerator> decided() {
        return Optional.ofNullable(decided);
    }

    /**
     * Decides for {@code auto} without a KVM trial, before any start: a warm start from state
     * saved under {@code value} (TCG only after KVM failed on this host, said by {@code why}).
     * Nothing changes once decided or while a trial runs.
     */
    public synchronized void assume(Accelerator value, String why) {
        if (decided == null && !trialRunning && value != Accelerator.AUTO) {
            decided = value;
            fallbackReason = value == Accelerator.TCG ? why : null;
        }
    }

    /** Why {@code auto} gave up KVM, once it did. */
    public synchronized Optional<String> fallbackReason() {
        return Optional.ofNullable(fallbackReason);
    }

    /**
     * Begins one VM start: which accelerator it uses, and whether it is the cluster's KVM trial.
     * While another start's trial runs, waits for its verdict.
     *
     * @param trialBound how long to wait for another start's verdict (scaled; that start's own
     *     waits are bounded, so running out is a bug)
     * @throws AcceleratorUnavailableException when KVM was asked for explicitly and /dev/kvm is unusable
     */
    public Attempt begin(Duration trialBound) {
        if (requested == Accelerator.KVM && !kvm.usable()) {
            throw new AcceleratorUnavailableException(
                    "accelerator kvm was asked for but " + kvm.reason() + "; use accelerator auto or tcg");
        }
        long deadline = System.nanoTime() + trialBound.toNanos();
        synchronized (this) {
            while (decided == null && trialRunning) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new IllegalStateException(
                            "no verdict on KVM from the first VM start within " + trialBound.toSeconds() + " s");
                }
                try {
                    wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for the KVM trial", e);
                }
            }
            if (decided != null) {
                return new Attempt(decided, false);
            }
            trialRunning = true;
            return new Attempt(Accelerator.KVM, true);
        }
    }

    private synchronized void decide(Accelerator value, String why) {
        if (decided == null) {
            decided = value;
            fallbackReason = why;
        }
        trialRunning = false;
        notifyAll();
    }

    private synchronized void abandon() {
        if (decided == null) {
            trialRunning = false;
            notifyAll();
        }
    }

    /** One VM start. Close it when the start is over, whatever happened. */
    public final class Attempt implements AutoCloseable {
        private final Accelerator accelerator;
        private final boolean trial;
        private boolean settled;

        private Attempt(Accelerator accelerator, boolean trial) {
            this.accelerator = accelerator;
            this.trial = trial;
        }

        /** KVM or TCG. */
        public Accelerator accelerator() {
            return accelerator;
        }

        /** Whether this start decides for the cluster whether KVM works (then it must call {@link #kvmWorks()} or {@link #kvmFails}). */
        public boolean decidesKvm() {
            return trial;
        }

        /** The trial VM showed a sign of life: KVM for every VM of the cluster. */
        public void kvmWorks() {
            requireTrial();
            settled = true;
            decide(Accelerator.KVM, null);
        }

        /** The trial VM failed under KVM ({@code why}, in QEMU's words where it said any): TCG for every VM from now on. */
        public void kvmFails(String why) {
            requireTrial();
            settled = true;
            decide(Accelerator.TCG, why);
        }

        private void requireTrial() {
            if (!trial) {
                throw new IllegalStateException("only the KVM trial decides; this start uses " + accelerator);
            }
        }

        /** A trial closed without a verdict (it failed before KVM could show anything) lets the next start try. */
        @Override
        public void close() {
            if (trial && !settled) {
                abandon();
            }
        }
    }
}
