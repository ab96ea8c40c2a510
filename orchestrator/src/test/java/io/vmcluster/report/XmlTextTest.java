package io.vmcluster.report;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class XmlTextTest {
    @Test
    void legalTextIsReturnedAsIs() {
        String s = "plain text, tabs\t, lines\r\n, ümlauts, \ud83d\ude00";
        assertThat(XmlText.legal(s)).isSameAs(s);
    }

    @Test
    void forbiddenCharactersBecomeVisibleEscapes() {
        assertThat(XmlText.legal("a\u0000b\u001bc\u0008d\ufffe")).isEqualTo("a\\u0000b\\ec\\u0008d\\ufffe");
    }

    @Test
    void loneSurrogatesAreEscapedPairsKept() {
        assertThat(XmlText.legal("x\udc00y\ud800")).isEqualTo("x\\udc00y\\ud800");
        assertThat(XmlText.legal("\ud83d\ude00")).isEqualTo("\ud83d\ude00");
    }

    @Test
    void nullIsEmpty() {
        assertThat(XmlText.legal(null)).isEmpty();
    }
}
