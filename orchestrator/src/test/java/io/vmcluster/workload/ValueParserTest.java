package io.vmcluster.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vmcluster.history.Values;
import org.junit.jupiter.api.Test;

class ValueParserTest {
    @Test
    void a_json_path_with_a_wildcard_reads_a_list_and_integer_text_becomes_integers() {
        String jobs = "[{\"job_id\":\"a\",\"url\":\"17\"},{\"job_id\":\"b\",\"url\":\"18\"},{\"job_id\":\"c\"}]";
        assertThat(ValueParser.json("$[*].url").parse(jobs, null)).isEqualTo(Values.list(17, 18));
        assertThat(ValueParser.json("$[0].job_id").parse(jobs, null)).isEqualTo(Values.of("a"));
        assertThatThrownBy(() -> ValueParser.json("$.nope").parse("{}", null)).hasMessageContaining("selects nothing");
        assertThatThrownBy(() -> ValueParser.json("$").parse("not json", null)).hasMessageContaining("not JSON");
    }

    @Test
    void lines_are_a_list_of_integers_and_anything_else_is_refused() {
        assertThat(ValueParser.lines().parse("3\n1\n\n 2 \n", null)).isEqualTo(Values.list(3, 1, 2));
        assertThatThrownBy(() -> ValueParser.lines().parse("3\nfour\n", null)).hasMessageContaining("'four'");
    }

    @Test
    void text_is_stripped_an_integer_when_it_is_one_and_empty_is_null() {
        assertThat(ValueParser.text().parse(" 42\n", null)).isEqualTo(Values.of(42));
        assertThat(ValueParser.text().parse("abc\n", null)).isEqualTo(Values.of("abc"));
        assertThat(ValueParser.text().parse("\n", null)).isEqualTo(Values.NULL);
    }

    @Test
    void a_regex_takes_its_first_group_and_regex_all_every_match() {
        assertThat(ValueParser.regex("value=(\\d+)").parse("key=k value=7 rev=3", null))
                .isEqualTo(Values.of(7));
        assertThat(ValueParser.regexAll("v(\\d+)").parse("v1 v2 x v3", null)).isEqualTo(Values.list(1, 2, 3));
        assertThatThrownBy(() -> ValueParser.regex("value=(\\d+)").parse("nothing", null))
                .hasMessageContaining("is not in");
    }

    @Test
    void input_keeps_the_invocations_value() {
        assertThat(ValueParser.INPUT.parse("whatever", Values.of(5))).isEqualTo(Values.of(5));
    }
}
