package io.vmcluster.hosts;

import static org.assertj.core.api.Assertions.assertThat;

import io.vmcluster.cluster.spec.ClusterSpecLoader;
import io.vmcluster.scenario.Scenario;
import io.vmcluster.scenario.ScenarioParser;
import io.vmcluster.scenario.run.RunOptions;
import io.vmcluster.time.Timing;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a scenario over hosts sends to each host, and what it refuses before anything boots. */
class HostsScenarioClusterTest {
    static final String SCENARIO = """
            name: spread
            params:
              image: etcd-test
              mode: replicated
            cluster:
              hosts:
                - {name: h1, ssh: root@10.99.0.1}
                - {name: h2, ssh: root@10.99.0.2}
              defaults: {image: "${image}", host: h2, memory: 384}
              nodes:
                - {name: node1, host: h1, params: {role: "07"}}
                - node2
            tests:
              - name: t
                steps:
                  - partition: [[node1], [node2]]
                  - isolate: node1
                  - heal:
                  - snapshot: formed
                    cache: true
                  - crash: node2
                  - start: node2
                  - stop_service: etcd
                    on: node1
                  - cut_nic: node2
                  - repeat: 2
                    steps:
                      - snapshot: again
            """;

    private static Scenario parse(String text) {
        return ScenarioParser.parse(text, Path.of("spread.yaml"), Map.of());
    }

    @Test
    void everyHostReadsTheSameClusterWithTheScenariosParams() {
        Scenario s = parse(SCENARIO);
        var c = s.cluster();
        String json = HostsScenarioCluster.json(c.definition());
        assertThat(json).contains("\"etcd-test\"").doesNotContain("${image}");
        assertThat(c.params()).containsEntry("mode", "replicated");
        assertThat(ClusterSpecLoader.parse(json, "spread.yaml", c.params())).isEqualTo(c.spec());
    }

    @Test
    void whatCannotRunOverHostsIsListedWithWhereItIsWritten() {
        var refused =
                HostsScenarioCluster.unsupported(parse(SCENARIO), RunOptions.real(Path.of("r"), Timing.standard()));
        assertThat(refused)
                .as("partitions, isolate, heal, lifecycle, services and the cached snapshot run; the rest does not")
                .hasSize(2);
        assertThat(refused.get(0)).startsWith("spread.yaml:25:").contains("cut nic of node2");
        assertThat(refused.get(1)).startsWith("spread.yaml:28:").contains("snapshot");
    }
}
