package io.vmcluster.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class CommandResultTest {
    @Test
    void itsOneLineShowsTheOutputQuotedAsAJavaString() {
        CommandResult r = CommandResult.ofText(
                "node1", "hostname", 0, "node1\n", "tab\there \"q\" \\ \u0001", Duration.ofMillis(12));
        assertThat(r.toString())
                .as("what jshell shows for node1.succeed(\"hostname\")")
                .isEqualTo("CommandResult[node1, exit=0, 12 ms, command=hostname, stdout=\"node1\\n\","
                        + " stderr=\"tab\\there \\\"q\\\" \\\\ \\u0001\"]");
    }

    @Test
    void longOutputIsCutAndSaysHowLongItWas() {
        CommandResult r = CommandResult.ofText("node1", "yes", 0, "y".repeat(1000), "", Duration.ZERO);
        assertThat(r.toString()).contains("\"" + "y".repeat(400) + "\"... (1000 bytes)");
    }
}
