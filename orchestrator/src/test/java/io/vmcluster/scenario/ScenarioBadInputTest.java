package io.vmcluster.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import io.vmcluster.yaml.Location;
import io.vmcluster.yaml.Problem;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** One parser test per class of bad input in issue 11 (the CLI battery has the rest of each class). */
class ScenarioBadInputTest {
    static final Path FILE = Path.of("s.yaml");

    static List<Problem> problems(String steps) {
        try {
            ScenarioParser.parse(ScenarioParserTest.HEAD + steps.indent(6), FILE, Map.of());
        } catch (ScenarioException e) {
            return e.problems();
        }
        throw new AssertionError("expected problems for:\n" + steps);
    }

    static Problem only(String steps) {
        List<Problem> p = problems(steps);
        assertThat(p).as("problems: %s", p).hasSize(1);
        return p.get(0);
    }

    @Test
    void class1HostileYamlIsBoundedAndLocated() {
        StringBuilder sb = new StringBuilder("x-b0: &b0 [x, x, x]\n");
        for (int i = 1; i < 16; i++) {
            String a = "*b" + (i - 1);
            sb.append("x-b" + i + ": &b" + i + " [" + a + ", " + a + ", " + a + "]\n");
        }
        sb.append("cluster: {nodes: 3, lans: *b15}\ntests: [{name: a, steps: [{log: x}]}]\n");
        long start = System.nanoTime();
        List<Problem> p;
        try {
            ScenarioParser.parse(sb.toString(), FILE, Map.of());
            throw new AssertionError("accepted an alias bomb");
        } catch (ScenarioException e) {
            p = e.problems();
        }
        assertThat((System.nanoTime() - start) / 1_000_000).as("ms").isLessThan(2_000);
        assertThat(p).singleElement().satisfies(x -> {
            assertThat(x.location().line())
                    .as("the alias that crosses the bound")
                    .isEqualTo(10);
            assertThat(x.message()).contains("alias bomb");
        });
    }

    @Test
    void class2NoStepIsDroppedOrLeftWithoutATarget() {
        assertThat(only("- succeed: 'true'\n  on: {all_except: all}\n"))
                .satisfies(p -> assertThat(p.location()).isEqualTo(new Location(FILE, 11, 26)))
                .extracting(Problem::message)
                .asString()
                .contains("leaves no node");
        assertThat(only("- succeed: 'true'\n  on: {all_except: [node1, node2, node3]}\n")
                        .message())
                .contains("leaves out every node");
        assertThat(only("- partition: [{all_except: all}, [node1]]\n").message())
                .contains("leaves no node");
    }

    @Test
    void class3NumbersNeverBecomeInternalErrors() {
        assertThat(only("- impair: node1\n  rate: 99999999999999999999gbit\n").message())
                .contains("512kbit, 10mbit or 1gbit");
        assertThat(only("- repeat: 99999999999999999999\n  steps: [{log: x}]\n").message())
                .contains("between 1 and 10000");
        assertThat(only("- wait_for_port: 99999999999999999999\n  on: node1\n").message())
                .contains("1..65535");
    }

    @Test
    void class5WhatLooksValidButIsNotIsRejected() {
        assertThat(only("- log: 'leader is ${leader'\n").message()).contains("'${leader' is not closed");
        assertThat(only("- succeed: 'true'\n  on: node1\n  timeout: 99999999999999999999h\n")
                        .message())
                .contains("longer than 7 days");
    }

    @Test
    void class6MessagesSayWhatIsWrong() {
        assertThat(only("- on: node1\n  timeout: 30s\n").message())
                .contains("options (on, timeout) but no verb")
                .doesNotContain("did you mean 'log'");
    }
}
