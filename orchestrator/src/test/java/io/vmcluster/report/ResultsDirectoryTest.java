package io.vmcluster.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.LocalDateTime;
import org.junit.jupiter.api.Test;

class ResultsDirectoryTest {
    @Test
    void namedByTimeAndScenarioWithUnsafeCharactersReplaced() {
        ResultsDirectory d =
                ResultsDirectory.under(Path.of("results"), "mvm ci/cluster", LocalDateTime.of(2026, 11, 26, 9, 5, 7));
        assertThat(d.root()).isEqualTo(Path.of("results/20261126-090507-mvm-ci-cluster"));
        assertThat(d.serialLog("node1")).isEqualTo(d.root().resolve("node1/serial.log"));
        assertThat(d.junitXml().getFileName().toString()).isEqualTo("test-output.xml");
    }
}
