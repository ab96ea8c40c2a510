package io.vmcluster.fault;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vmcluster.cluster.Cluster;
import io.vmcluster.cluster.Node;
import io.vmcluster.command.CommandResult;
import io.vmcluster.time.Wait;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What the fault tests ask the etcd of the etcd-test image, each question put to one member from
 * inside its own guest with {@code etcdctl} (member name = node name, client port 2379).
 * {@code endpoint status} is answered by the member itself (no quorum needed), so it is how a
 * test sees each member's own view: its id, the leader it follows, its term and applied revision.
 */
final class EtcdProbe {
    /** How long one etcdctl call may take (a linearizable call without quorum fails after it). */
    static final String COMMAND_TIMEOUT = "--dial-timeout=3s --command-timeout=5s";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration CALL = Duration.ofSeconds(30);

    private final Cluster cluster;

    EtcdProbe(Cluster cluster) {
        this.cluster = cluster;
    }

    /** One member's own view, from {@code etcdctl endpoint status -w json} on its node. */
    record MemberStatus(String node, String memberId, String leaderId, long raftTerm, long revision) {
        boolean hasLeader() {
            return !leaderId.equals("0");
        }
    }

    /** The member's own view, or empty if it does not answer (etcd down, node booting). */
    Optional<MemberStatus> status(String node) {
        CommandResult r = cluster.node(node).exec("etcdctl " + COMMAND_TIMEOUT + " endpoint status -w json", CALL);
        if (!r.succeeded()) {
            return Optional.empty();
        }
        try {
            JsonNode s = JSON.readTree(r.stdoutText()).path(0).path("Status");
            JsonNode h = s.path("header");
            return Optional.of(new MemberStatus(
                    node,
                    h.path("member_id").asText(),
                    s.path("leader").asText("0"),
                    s.path("raftTerm").asLong(),
                    h.path("revision").asLong()));
        } catch (java.io.IOException e) {
            throw new IllegalStateException("etcdctl endpoint status on " + node + " is not JSON: " + r.describe(), e);
        }
    }

    /**
     * Waits until every node of {@code among} answers and they all follow the same leader, one of
     * them; returns that leader's status (its node name and term).
     */
    MemberStatus awaitLeaderAmong(Collection<String> among, Duration timeout) {
        return awaitLeaderAmong(among, 0, timeout);
    }

    /**
     * As {@link #awaitLeaderAmong(Collection, Duration)}, and the leader reports a term after {@code
     * afterTerm}. etcd's status gives the term of the last entry the member applied, while its
     * leader field changes at the election: a new leader reports the old term until its first entry
     * of the new term is applied (seen on 2026-12-03: a new leader among the majority "in" term 2,
     * the isolated old leader's term).
     */
    MemberStatus awaitLeaderAmong(Collection<String> among, long afterTerm, Duration timeout) {
        return Wait.forCondition(
                        "one etcd leader that " + among + " all follow, among them, in a term after " + afterTerm)
                .atMost(timeout)
                .every(Duration.ofMillis(500), Duration.ofSeconds(2))
                .until(() -> {
                    Map<String, MemberStatus> views = new LinkedHashMap<>();
                    for (String n : among) {
                        MemberStatus s =
                                status(n).orElseThrow(() -> Wait.notYet(n + " does not answer endpoint status"));
                        views.put(n, s);
                    }
                    var leaders =
                            views.values().stream().map(MemberStatus::leaderId).collect(Collectors.toSet());
                    if (leaders.size() != 1 || leaders.contains("0")) {
                        throw Wait.notYet("leaders seen: " + views.values());
                    }
                    String leaderId = leaders.iterator().next();
                    MemberStatus leader = views.values().stream()
                            .filter(s -> s.memberId().equals(leaderId))
                            .findFirst()
                            .orElseThrow(() -> Wait.notYet("the leader " + leaderId + " is not among them: " + views));
                    if (leader.raftTerm() <= afterTerm) {
                        throw Wait.notYet("the leader " + leader.node() + " still reports term " + leader.raftTerm());
                    }
                    return leader;
                });
    }

    /** Waits until all three members follow one leader and every member answers a quorum read. */
    MemberStatus awaitHealthy(Duration timeout) {
        MemberStatus leader = awaitLeaderAmong(cluster.spec().nodeNames(), timeout);
        cluster.node(leader.node())
                .waitUntilSucceeds(
                        "etcdctl " + COMMAND_TIMEOUT + " --endpoints=" + endpoints() + " endpoint health", timeout);
        return leader;
    }

    /** Waits until {@code node}'s member has applied at least {@code revision} (caught up). */
    MemberStatus awaitRevision(String node, long revision, Duration timeout) {
        return Wait.forCondition("etcd on " + node + " to reach revision " + revision)
                .atMost(timeout)
                .every(Duration.ofMillis(500), Duration.ofSeconds(2))
                .until(() -> {
                    MemberStatus s = status(node).orElseThrow(() -> Wait.notYet(node + " does not answer"));
                    if (s.revision() < revision) {
                        throw Wait.notYet("at revision " + s.revision());
                    }
                    return s;
                });
    }

    /** A write through {@code node}'s member; the result says whether etcd acknowledged it. */
    CommandResult put(String node, String key, String value) {
        return cluster.node(node).exec("etcdctl " + COMMAND_TIMEOUT + " put " + key + " " + value, CALL);
    }

    /** A linearizable read of {@code key} through {@code node}'s member (needs the leader). */
    CommandResult linearizableGet(String node, String key) {
        return cluster.node(node).exec("etcdctl " + COMMAND_TIMEOUT + " get --print-value-only " + key, CALL);
    }

    /** The value of {@code key} as {@code node}'s member has it, without asking anyone else. */
    String serializableGet(String node, String key) {
        return cluster.node(node)
                .succeed("etcdctl " + COMMAND_TIMEOUT + " get --consistency=s --print-value-only " + key, CALL)
                .stdoutLine();
    }

    /** The keys under {@code prefix} as {@code node}'s member has them (serializable). */
    List<String> serializableKeys(String node, String prefix) {
        return cluster.node(node)
                .succeed("etcdctl " + COMMAND_TIMEOUT + " get --consistency=s --keys-only --prefix " + prefix, CALL)
                .stdoutText()
                .lines()
                .map(String::strip)
                .filter(l -> !l.isEmpty())
                .toList();
    }

    /**
     * The cluster's revision as a quorum sees it, through {@code node} (a linearizable read). Tried
     * again until it succeeds, within two minutes: a linearizable read fails while an election
     * runs, and etcd 3.4 (no pre-vote by default) holds one right after a heal, when the member
     * that was cut off comes back with a higher term.
     */
    long linearizableRevision(String node) {
        CommandResult r = cluster.node(node)
                .waitUntilSucceeds(
                        "etcdctl " + COMMAND_TIMEOUT + " get -w json vmc-probe-revision", Duration.ofMinutes(2));
        try {
            return JSON.readTree(r.stdoutText()).path("header").path("revision").asLong();
        } catch (java.io.IOException e) {
            throw new IllegalStateException("etcdctl get -w json on " + node + " is not JSON: " + r.describe(), e);
        }
    }

    /** {@code http://node1:2379,...}: every member (the guests resolve the names through /etc/hosts). */
    String endpoints() {
        return cluster.spec().nodeNames().stream()
                .map(n -> "http://" + n + ":2379")
                .collect(Collectors.joining(","));
    }

    Node node(String name) {
        return cluster.node(name);
    }
}
