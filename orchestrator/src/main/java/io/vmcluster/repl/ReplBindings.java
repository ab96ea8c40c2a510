package io.vmcluster.repl;

import io.vmcluster.cluster.Cluster;
import io.vmcluster.fault.Faults;
import java.util.List;

/**
 * What a {@code vmcluster repl} session's snippets see: the cluster its supervisor runs and that
 * cluster's fault API. Snippets run inside the supervisor ({@link ReplEngine}) and can reach
 * objects only through static methods, hence this holder; the supervisor binds it once, when its
 * control socket opens. {@link #startup(List)} is the snippet text that names them {@code
 * cluster}, {@code faults}, {@code node1}, ….
 */
public final class ReplBindings {
    private static volatile Cluster cluster;
    private static volatile Faults faults;

    private ReplBindings() {}

    /** Binds the supervisor's cluster (one per supervisor). */
    public static void bind(Cluster c, Faults f) {
        cluster = c;
        faults = f;
    }

    public static boolean bound() {
        return cluster != null;
    }

    /** The cluster ({@code cluster.node("node1")}, {@code cluster.nodes()}, {@code cluster.parallel(...)}). */
    public static Cluster cluster() {
        if (cluster == null) throw new IllegalStateException("no cluster is bound in this process");
        return cluster;
    }

    /** Its fault API ({@code faults.isolate("node1")}, {@code faults.heal()}): the faults {@code fault heal} undoes. */
    public static Faults faults() {
        if (faults == null) throw new IllegalStateException("no cluster is bound in this process");
        return faults;
    }

    /** The Java variable a node is bound to: its name, with what a Java name cannot hold as {@code _}. */
    public static String variable(String node) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < node.length(); i++) {
            char c = node.charAt(i);
            b.append(
                    i == 0
                            ? (Character.isJavaIdentifierStart(c) ? c : '_')
                            : (Character.isJavaIdentifierPart(c) ? c : '_'));
        }
        return b.toString();
    }

    /** The startup snippets: the imports a session needs, {@code cluster}, {@code faults} and one variable per node. */
    public static String startup(List<String> nodes) {
        StringBuilder s = new StringBuilder();
        for (String p : List.of(
                "io.vmcluster.cluster", "io.vmcluster.fault", "io.vmcluster.command", "java.time", "java.util")) {
            s.append("import ").append(p).append(".*;\n");
        }
        s.append("io.vmcluster.cluster.Cluster cluster = io.vmcluster.repl.ReplBindings.cluster();\n");
        s.append("io.vmcluster.fault.Faults faults = io.vmcluster.repl.ReplBindings.faults();\n");
        for (String n : nodes) {
            s.append("io.vmcluster.cluster.Node ")
                    .append(variable(n))
                    .append(" = cluster.node(\"")
                    .append(n)
                    .append("\");\n");
        }
        return s.toString();
    }
}
