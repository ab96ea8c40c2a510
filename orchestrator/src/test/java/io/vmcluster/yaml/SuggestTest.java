package io.vmcluster.yaml;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SuggestTest {
    @Test
    void suggestsCloseWordsOnly() {
        List<String> keys = List.of("nodes", "defaults", "lans", "links");
        assertThat(Suggest.nearest("node", keys)).isEqualTo("nodes");
        assertThat(Suggest.nearest("lnks", keys)).isEqualTo("links");
        assertThat(Suggest.nearest("volumes", keys)).isNull();
    }

    @Test
    void anAdjacentSwapIsOneEdit() {
        assertThat(Suggest.distance("succeed", "sucecde")).isEqualTo(2);
        assertThat(Suggest.distance("timeout", "tiemout")).isEqualTo(1);
        assertThat(Suggest.didYouMean("tiemout", List.of("timeout", "on"))).isEqualTo("; did you mean 'timeout'?");
        assertThat(Suggest.didYouMean("zzz", List.of("timeout"))).isEmpty();
    }

    @Test
    void veryLongWordsAreComparedInBoundedTime() {
        String huge = "x".repeat(100_000);
        long start = System.nanoTime();
        assertThat(Suggest.nearest(huge, List.of("timeout", "on"))).isNull();
        assertThat(System.nanoTime() - start).as("nanoseconds").isLessThan(1_000_000_000L);
    }
}
