package io.vmcluster.repl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import jdk.jshell.JShell;
import jdk.jshell.Snippet;
import org.junit.jupiter.api.Test;

class ReplBindingsTest {
    @Test
    void aNodeIsBoundToItsNameOrTheNearestJavaName() {
        assertThat(ReplBindings.variable("node1")).isEqualTo("node1");
        assertThat(ReplBindings.variable("db-1.a")).isEqualTo("db_1_a");
        assertThat(ReplBindings.variable("1st")).isEqualTo("_st");
    }

    @Test
    void theStartupBindsTheClusterItsFaultsAndEveryNode() {
        String s = ReplBindings.startup(List.of("node1", "db-2"));
        assertThat(s)
                .contains("io.vmcluster.cluster.Cluster cluster = io.vmcluster.repl.ReplBindings.cluster();")
                .contains("io.vmcluster.fault.Faults faults = io.vmcluster.repl.ReplBindings.faults();")
                .contains("io.vmcluster.cluster.Node node1 = cluster.node(\"node1\");")
                .contains("io.vmcluster.cluster.Node db_2 = cluster.node(\"db-2\");");
    }

    @Test
    void theStartupCompilesAgainstTheJavaApi() {
        try (JShell js = JShell.builder().executionEngine("local").build()) {
            js.addToClasspath(System.getProperty("java.class.path"));
            // the declarations compile (their initialisers throw here: no cluster is bound in a unit test)
            for (String line : ReplBindings.startup(List.of("node1")).split("\n")) {
                var e = js.eval(line).get(0);
                assertThat(e.status()).as(line).isEqualTo(Snippet.Status.VALID);
            }
        }
    }

    @Test
    void withNoClusterBoundTheBindingsSaySo() {
        assertThatThrownBy(ReplBindings::cluster).hasMessageContaining("no cluster is bound");
    }
}
