package io.vmcluster.qemu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class AcceleratorChoiceTest {
    private static final KvmProbe.Result USABLE = new KvmProbe.Result(true, "/dev/kvm opens read-write");
    private static final KvmProbe.Result MISSING = new KvmProbe.Result(false, "/dev/kvm does not exist");

    @Test
    void autoTriesKvmWhenUsableAndFallsBackForGoodOnce() {
        AcceleratorChoice choice = new AcceleratorChoice(Accelerator.AUTO, () -> USABLE);
        assertThat(choice.next()).isEqualTo(Accelerator.KVM);
        assertThat(choice.mayFallBack(Accelerator.KVM)).isTrue();
        assertThat(choice.fallBack())
                .as("the first fallback reports (one warning)")
                .isTrue();
        assertThat(choice.fallBack()).as("later ones stay quiet").isFalse();
        assertThat(choice.next()).as("restarts go straight to TCG").isEqualTo(Accelerator.TCG);
        assertThat(choice.mayFallBack(Accelerator.TCG)).isFalse();
    }

    @Test
    void autoUsesTcgWithoutKvm() {
        AcceleratorChoice choice = new AcceleratorChoice(Accelerator.AUTO, () -> MISSING);
        assertThat(choice.next()).isEqualTo(Accelerator.TCG);
    }

    @Test
    void explicitKvmNeverFallsBackAndFailsWithoutDevice() {
        AcceleratorChoice usable = new AcceleratorChoice(Accelerator.KVM, () -> USABLE);
        assertThat(usable.next()).isEqualTo(Accelerator.KVM);
        assertThat(usable.mayFallBack(Accelerator.KVM)).isFalse();
        AcceleratorChoice missing = new AcceleratorChoice(Accelerator.KVM, () -> MISSING);
        assertThatThrownBy(missing::next)
                .hasMessage("accelerator kvm was asked for but /dev/kvm does not exist; use accelerator auto or tcg");
    }

    @Test
    void explicitTcgDoesNotEvenProbe() {
        AcceleratorChoice choice = new AcceleratorChoice(Accelerator.TCG, () -> {
            throw new AssertionError("probed");
        });
        assertThat(choice.next()).isEqualTo(Accelerator.TCG);
    }
}
