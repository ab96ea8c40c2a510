package io.vmcluster.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExecCommandTest {
    @Test
    void theCommandIsWhatFollowsTheFirstDoubleDash() {
        assertThat(ExecCommand.commandWords(List.of("exec", "c", "node1", "--", "ls", "--", "-l")))
                .isEqualTo(3);
        assertThat(ExecCommand.commandWords(List.of("-v", "exec", "node1", "--", "true")))
                .isEqualTo(1);
        assertThat(ExecCommand.commandWords(List.of("exec", "node1", "true"))).isEqualTo(-1);
    }

    @Test
    void withoutDoubleDashItIsInvalidInputSayingWhereItGoes() {
        StringWriter err = new StringWriter();
        int code = Vmcluster.execute(
                new String[] {"exec", "node1", "true"}, new PrintWriter(new StringWriter()), new PrintWriter(err));
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("put -- before the command");
    }
}
