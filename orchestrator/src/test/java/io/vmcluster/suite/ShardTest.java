package io.vmcluster.suite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ShardTest {
    @Test
    void kOfNReadsBothNumbers() {
        assertThat(Shard.parse("2/3")).isEqualTo(new Shard(2, 3));
        assertThat(Shard.parse(" 1/1 ")).isEqualTo(Shard.ALL);
        assertThat(Shard.parse("3/3")).hasToString("3/3");
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "0/3|the shard K must be 1 to N (3), found 0",
                "4/3|the shard K must be 1 to N (3), found 4",
                "1/0|the shard count N must be 1 to 10000, found 0",
                "1/20000|the shard count N must be 1 to 10000, found 20000",
                "3|is not K/N",
                "a/b|is not K/N",
                "-1/2|is not K/N",
                "1/2/3|is not K/N",
                "1.5/2|is not K/N"
            })
    void anythingElseSaysWhatIsValid(String text, String message) {
        assertThatThrownBy(() -> Shard.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message)
                .hasMessageContaining("'" + text + "'");
    }
}
