package io.vmcluster.warm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class WarmKeyTest {
    private static WarmKey key(String qemu, String argv) {
        return WarmKey.builder().part("qemu", qemu).part("node1.argv", argv).build();
    }

    @Test
    void theSamePartsMakeTheSameKeyAndAnyDifferenceAnother() {
        WarmKey a = key("QEMU 7.2.22", "-m 512");
        assertThat(key("QEMU 7.2.22", "-m 512")).isEqualTo(a);
        assertThat(key("QEMU 7.2.23", "-m 512").id()).as("another QEMU").isNotEqualTo(a.id());
        assertThat(key("QEMU 7.2.22", "-m 1024").id())
                .as("another command line")
                .isNotEqualTo(a.id());
        assertThat(WarmKey.builder()
                        .part("node1.argv", "-m 512")
                        .part("qemu", "QEMU 7.2.22")
                        .build()
                        .id())
                .as("the same parts in another order")
                .isNotEqualTo(a.id());
    }

    @Test
    void theIdIsSixteenHexDigitsOfTheMaterialsSha256() {
        WarmKey k = key("QEMU 7.2.22", "-m 512");
        assertThat(k.id()).matches("[0-9a-f]{16}");
        assertThat(WarmKey.sha256(k.material())).startsWith(k.id());
        assertThat(WarmKey.isId(k.id())).isTrue();
        assertThat(WarmKey.isId("ABCDEF0123456789")).isFalse();
    }

    @Test
    void theMaterialIsOnePartPerLineSoThatAValueCannotForgeAnotherPart() {
        WarmKey forged = WarmKey.builder().part("a", "x\nb: y").build();
        WarmKey honest = WarmKey.builder().part("a", "x").part("b", "y").build();
        assertThat(forged.material()).isEqualTo("a: x\\nb: y\n");
        assertThat(honest.material()).isEqualTo("a: x\nb: y\n");
        assertThat(forged.id()).isNotEqualTo(honest.id());
        assertThat(WarmKey.builder().part("a", null).build().material()).isEqualTo("a: <none>\n");
    }

    @Test
    void aPartNameIsGivenOnceAndIsAWord() {
        assertThatThrownBy(() -> WarmKey.builder().part("a", 1).part("a", 2)).hasMessageContaining("'a' given twice");
        assertThatThrownBy(() -> WarmKey.builder().part("a b", 1)).hasMessageContaining("not 'a b'");
        assertThatThrownBy(() -> WarmKey.builder().build()).hasMessageContaining("at least one part");
    }
}
