package io.vmcluster.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ShellQuoteTest {
    @Test
    void plainWordsStayAsTheyAre() {
        assertThat(ShellQuote.quote("/var/lib/vmc/data-1.txt")).isEqualTo("/var/lib/vmc/data-1.txt");
    }

    @Test
    void everythingElseIsSingleQuoted() {
        assertThat(ShellQuote.quote("")).isEqualTo("''");
        assertThat(ShellQuote.quote("a b")).isEqualTo("'a b'");
        assertThat(ShellQuote.quote("it's")).isEqualTo("'it'\\''s'");
        assertThat(ShellQuote.quote("$(reboot)")).isEqualTo("'$(reboot)'");
    }

    @Test
    void nulIsRejected() {
        assertThatThrownBy(() -> ShellQuote.quote("a\0b")).hasMessageContaining("NUL");
    }

    @Test
    void aRealShellGetsBackExactlyTheWords() throws IOException, InterruptedException {
        String[] words = {"", "plain", "two words", "it's", "\"dq\"", "$HOME", "`id`", "a\nb", "\\", "*", "-n", "é"};
        String script = "for w in " + ShellQuote.command(words) + "; do printf '[%s]' \"$w\"; done";
        Process p =
                new ProcessBuilder("sh", "-c", script).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).isZero();
        StringBuilder expected = new StringBuilder();
        for (String w : words) {
            expected.append('[').append(w).append(']');
        }
        assertThat(out).isEqualTo(expected.toString());
    }
}
