package io.vmcluster.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import io.vmcluster.checker.FaultWindows;
import io.vmcluster.checker.SingleLeaderPerTermChecker;
import io.vmcluster.checker.Validity;
import io.vmcluster.checker.Verdict;
import io.vmcluster.history.History;
import io.vmcluster.history.HistoryEntry;
import io.vmcluster.history.OpFunction;
import io.vmcluster.history.Probe;
import io.vmcluster.scenario.Scenario;
import io.vmcluster.scenario.ScenarioParser;
import io.vmcluster.scenario.TestCase;
import io.vmcluster.scenario.step.Step;
import io.vmcluster.scenario.step.WorkloadStep;
import io.vmcluster.workload.ProbeSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code leader-status} probe of {@code checkers/leader-probes.yaml}, run with {@code sh} on
 * this host against what etcd 3.4's {@code etcdctl endpoint status -w json} and {@code curl
 * /debug/vars} printed in a real run (fake {@code etcdctl} and {@code curl} on the PATH print the
 * recorded outputs), its samples checked by {@code single-leader-per-term}.
 *
 * <p>The moment replayed: node2 led term 4 and was crashed; node3 won term 5. node1 already
 * followed node3 but had not yet applied node3's first entry, so etcd's endpoint status (whose
 * {@code raft_term} is the term of the last applied entry) said "term 4, leader node3" while Raft
 * said term 5. A probe reading endpoint status made that two leaders in term 4.
 */
class LeaderProbeTest {
    static final String NODE1 = "bf8a66f2183e6969";
    static final String NODE2 = "8615ac8bd0911eb4"; // 9661818292092870324
    static final String NODE3 = "5fcb48da012cda48"; // 6902690955035204168

    @TempDir
    Path tmp;

    private String probe;
    private Path bin;

    @BeforeEach
    void setUp() throws IOException {
        Scenario s = ScenarioParser.parse(ScenarioFiles.DIR.resolve("checkers/leader-probes.yaml"), Map.of());
        List<ProbeSpec> probes = new ArrayList<>();
        for (TestCase t : s.tests()) {
            for (Step step : t.steps()) {
                if (step instanceof WorkloadStep w) {
                    w.spec().probes().stream()
                            .filter(p -> p.f().equals(OpFunction.LEADER_STATUS))
                            .forEach(probes::add);
                }
            }
        }
        assertThat(probes).hasSize(1);
        probe = probes.get(0).command();
        bin = Files.createDirectories(tmp.resolve("bin"));
        fake("etcdctl", "status");
        fake("curl", "vars");
    }

    /** A command that prints $VMC_FAKE/FILE, or fails like an unreachable etcd when it is absent. */
    private void fake(String name, String file) throws IOException {
        Path p = bin.resolve(name);
        Files.writeString(
                p, "#!/bin/sh\n[ -f \"$VMC_FAKE/" + file + "\" ] || exit 1\ncat \"$VMC_FAKE/" + file + "\"\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /**
     * What one node's etcd said at one moment.
     *
     * @param appliedTerm the term of its last applied entry (endpoint status' raft_term)
     * @param term its Raft term
     * @param self its member id, hex
     * @param lead the leader it knows, hex, or "0"
     * @param state its Raft state, e.g. StateFollower
     */
    private Probe sample(String node, double time, long appliedTerm, long term, String self, String lead, String state)
            throws Exception {
        Path dir = Files.createTempDirectory(tmp, node);
        long leadDecimal = Long.parseUnsignedLong(lead, 16);
        Files.writeString(
                dir.resolve("status"),
                "[{\"Endpoint\":\"127.0.0.1:2379\",\"Status\":{\"header\":{\"cluster_id\":18154904653888199698,"
                        + "\"member_id\":" + Long.toUnsignedString(Long.parseUnsignedLong(self, 16))
                        + ",\"revision\":1,\"raft_term\":" + appliedTerm + "},\"version\":\"3.4.23\",\"dbSize\":24576,"
                        + (leadDecimal == 0 ? "" : "\"leader\":" + Long.toUnsignedString(leadDecimal) + ",")
                        + "\"raftIndex\":10,\"raftTerm\":" + appliedTerm
                        + ",\"raftAppliedIndex\":9,\"dbSizeInUse\":16384}}]\n");
        Files.writeString(
                dir.resolve("vars"),
                "{\n\"cmdline\": [\"/usr/bin/etcd\"],\n\"file_descriptor_limit\": 1024,\n"
                        + "\"memstats\": {\"Alloc\":4751272,\"TotalAlloc\":30551880},\n"
                        + "\"raft.status\": {\"id\":\"" + self + "\",\"term\":" + term + ",\"vote\":\"" + lead
                        + "\",\"commit\":10,\"lead\":\"" + lead + "\",\"raftState\":\"" + state
                        + "\",\"applied\":9,\"progress\":{},\"leadtransferee\":\"0\"}\n}\n");
        ProcessBuilder pb = new ProcessBuilder("sh", "-c", probe).directory(tmp.toFile());
        pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        pb.environment().put("VMC_FAKE", dir.toString());
        pb.redirectError(ProcessBuilder.Redirect.DISCARD);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue())
                .as("the probe's exit code; it printed %s", out)
                .isZero();
        return new Probe(
                Math.round(time * 1e9),
                node,
                OpFunction.LEADER_STATUS,
                io.vmcluster.workload.ValueParser.json("$").parse(out, null),
                null);
    }

    private static Verdict check(List<HistoryEntry> samples) {
        return new SingleLeaderPerTermChecker().check(History.of(samples), FaultWindows.none());
    }

    @Test
    void a_follower_that_knows_the_new_leader_before_it_applied_its_first_entry_is_in_the_new_term() throws Exception {
        List<HistoryEntry> h = List.of(
                sample("node2", 21.3, 4, 4, NODE2, NODE2, "StateLeader"),
                sample("node1", 22.0, 4, 4, NODE1, NODE2, "StateFollower"),
                // node2 crashed at 35.5 s; node3 won term 5
                sample("node1", 40.4, 4, 5, NODE1, NODE3, "StateFollower"),
                sample("node3", 40.6, 4, 5, NODE3, NODE3, "StateLeader"),
                sample("node1", 45.3, 5, 5, NODE1, NODE3, "StateFollower"));
        Verdict v = check(h);
        assertThat(v.validity()).as(v.explanation()).isEqualTo(Validity.VALID);
        assertThat(v.explanation()).isEqualTo("one leader in each of 2 terms (5 samples)");
        assertThat(h.get(3))
                .extracting(e -> ((Probe) e).value().toString())
                .isEqualTo("{\"term\":5,\"leader\":\"" + NODE3 + "\",\"isLeader\":true}");
    }

    @Test
    void two_nodes_leading_one_term_are_still_caught() throws Exception {
        Verdict v = check(List.of(
                sample("node1", 10, 5, 5, NODE1, NODE1, "StateLeader"),
                sample("node3", 11, 5, 5, NODE3, NODE3, "StateLeader")));
        assertThat(v.validity()).isEqualTo(Validity.INVALID);
        assertThat(v.explanation()).startsWith("term 5 had 2 leaders: \"" + NODE1 + "\" (said by node1 at 10.0 s)");
    }

    @Test
    void a_node_that_knows_no_leader_names_none() throws Exception {
        Probe p = sample("node1", 12.6, 2, 3, NODE1, "0", "StateCandidate");
        assertThat(p.value().toString()).isEqualTo("{\"term\":3,\"leader\":null,\"isLeader\":false}");
        assertThat(p.leader()).isEmpty();
    }
}
