package io.vmcluster.cluster.spec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SuggestionsTest {
    @Test
    void suggestsCloseWordsOnly() {
        List<String> keys = List.of("nodes", "defaults", "lans", "links");
        assertThat(Suggestions.closest("node", keys)).isEqualTo("nodes");
        assertThat(Suggestions.closest("lnks", keys)).isEqualTo("links");
        assertThat(Suggestions.closest("volumes", keys)).isNull();
    }
}
