package io.vmcluster.qemu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class AcceleratorChoiceTest {
    private static final KvmProbe.Result USABLE = new KvmProbe.Result(true, "/dev/kvm opens read-write");
    private static final KvmProbe.Result MISSING = new KvmProbe.Result(false, "/dev/kvm does not exist");
    private static final Duration BOUND = Duration.ofSeconds(10);

    private static AcceleratorChoice choice(Accelerator requested, KvmProbe.Result probe) {
        return new AcceleratorChoice(requested, () -> probe, KvmCpu.HOST);
    }

    @Test
    void autoTriesKvmWhenUsableAndFallsBackForGoodOnce() {
        AcceleratorChoice choice = choice(Accelerator.AUTO, USABLE);
        try (AcceleratorChoice.Attempt trial = choice.begin(BOUND)) {
            assertThat(trial.accelerator()).isEqualTo(Accelerator.KVM);
            assertThat(trial.decidesKvm())
                    .as("the first start is the cluster's KVM trial")
                    .isTrue();
            trial.kvmFails("QEMU exited with status 134: failed to set MSR 0x10a to 0x69");
        }
        assertThat(choice.fallbackReason()).contains("QEMU exited with status 134: failed to set MSR 0x10a to 0x69");
        try (AcceleratorChoice.Attempt restart = choice.begin(BOUND)) {
            assertThat(restart.accelerator()).as("restarts go straight to TCG").isEqualTo(Accelerator.TCG);
            assertThat(restart.decidesKvm())
                    .as("only the trial falls back: one report per cluster")
                    .isFalse();
            assertThatThrownBy(() -> restart.kvmFails("again")).hasMessageContaining("only the KVM trial decides");
        }
    }

    @Test
    void otherStartsWaitForTheTrialsVerdictInsteadOfTryingKvmThemselves() throws Exception {
        AcceleratorChoice choice = choice(Accelerator.AUTO, USABLE);
        AcceleratorChoice.Attempt trial = choice.begin(BOUND);
        CompletableFuture<AcceleratorChoice.Attempt> second = CompletableFuture.supplyAsync(() -> choice.begin(BOUND));
        assertThat(second)
                .as("a second start waits while the trial is undecided")
                .isNotCompleted();
        trial.kvmWorks();
        trial.close();
        AcceleratorChoice.Attempt other = second.get(5, TimeUnit.SECONDS);
        assertThat(other.accelerator()).isEqualTo(Accelerator.KVM);
        assertThat(other.decidesKvm()).isFalse();
        assertThat(choice.fallbackReason()).isEmpty();
    }

    @Test
    void aTrialAbandonedWithoutVerdictLetsTheNextStartTry() {
        AcceleratorChoice choice = choice(Accelerator.AUTO, USABLE);
        choice.begin(BOUND).close(); // e.g. its disks could not be made: nothing was learnt about KVM
        try (AcceleratorChoice.Attempt next = choice.begin(BOUND)) {
            assertThat(next.decidesKvm()).isTrue();
            assertThat(next.accelerator()).isEqualTo(Accelerator.KVM);
        }
    }

    @Test
    void aTrialThatNeverAnswersIsABugReportedAfterTheBound() {
        AcceleratorChoice choice = choice(Accelerator.AUTO, USABLE);
        choice.begin(BOUND);
        assertThatThrownBy(() -> choice.begin(Duration.ofMillis(50)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no verdict on KVM");
    }

    @Test
    void autoUsesTcgWithoutKvm() {
        AcceleratorChoice choice = choice(Accelerator.AUTO, MISSING);
        try (AcceleratorChoice.Attempt a = choice.begin(BOUND)) {
            assertThat(a.accelerator()).isEqualTo(Accelerator.TCG);
            assertThat(a.decidesKvm()).isFalse();
        }
    }

    @Test
    void explicitKvmNeverFallsBackAndFailsWithoutDevice() {
        AcceleratorChoice usable = choice(Accelerator.KVM, USABLE);
        try (AcceleratorChoice.Attempt a = usable.begin(BOUND)) {
            assertThat(a.accelerator()).isEqualTo(Accelerator.KVM);
            assertThat(a.decidesKvm()).as("explicit kvm never falls back").isFalse();
        }
        AcceleratorChoice missing = choice(Accelerator.KVM, MISSING);
        assertThatThrownBy(() -> missing.begin(BOUND))
                .isInstanceOf(AcceleratorUnavailableException.class)
                .hasMessage("accelerator kvm was asked for but /dev/kvm does not exist; use accelerator auto or tcg");
    }

    @Test
    void explicitTcgDoesNotEvenProbe() {
        AcceleratorChoice choice = new AcceleratorChoice(
                Accelerator.TCG,
                () -> {
                    throw new AssertionError("probed");
                },
                KvmCpu.HOST);
        assertThat(choice.begin(BOUND).accelerator()).isEqualTo(Accelerator.TCG);
    }

    @Test
    void aWarmStartDecidesAutoWithoutATrialButChangesNothingDecided() {
        AcceleratorChoice auto = choice(Accelerator.AUTO, USABLE);
        assertThat(auto.decided()).as("auto with /dev/kvm waits for a trial").isEmpty();
        auto.assume(Accelerator.TCG, "KVM failed when the state was saved");
        assertThat(auto.decided()).contains(Accelerator.TCG);
        assertThat(auto.fallbackReason()).contains("KVM failed when the state was saved");
        try (AcceleratorChoice.Attempt a = auto.begin(BOUND)) {
            assertThat(a.decidesKvm()).as("no trial after a warm start").isFalse();
            assertThat(a.accelerator()).isEqualTo(Accelerator.TCG);
        }
        AcceleratorChoice tcg = choice(Accelerator.TCG, USABLE);
        tcg.assume(Accelerator.KVM, "no");
        assertThat(tcg.decided()).as("tcg stays tcg").contains(Accelerator.TCG);
    }
}
