package io.vmcluster.channel;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class StatusTrailerTest {
    private static final String TOKEN = "0123456789abcdef";

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void findsTheTrailerAndWhereTheRealOutputEnds() {
        byte[] out = bytes("hello\nno newline at the endVMC-STATUS " + TOKEN + " 3 0\n");
        StatusTrailer t = StatusTrailer.find(out, TOKEN);
        assertThat(t).isEqualTo(new StatusTrailer("hello\nno newline at the end".length(), 3, false));
    }

    @Test
    void aTrailerOfAnotherTokenOrAFakeInTheOutputIsNotTaken() {
        assertThat(StatusTrailer.find(bytes("VMC-STATUS fedcba9876543210 0 0\n"), TOKEN))
                .isNull();
        assertThat(StatusTrailer.find(bytes("VMC-STATUS " + TOKEN + " 0 0\nmore output"), TOKEN))
                .isNull();
        assertThat(StatusTrailer.find(bytes(""), TOKEN)).isNull();
    }

    @Test
    void timeoutFlag() {
        assertThat(StatusTrailer.find(bytes("VMC-STATUS " + TOKEN + " 137 1\n"), TOKEN)
                        .timedOut())
                .isTrue();
    }
}
