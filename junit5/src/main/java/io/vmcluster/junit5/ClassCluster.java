package io.vmcluster.junit5;

import io.vmcluster.cluster.spec.ClusterSpec;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.platform.commons.support.AnnotationSupport;
import org.junit.platform.commons.support.HierarchyTraversalMode;

/**
 * The cluster of one test class (and its {@code @Nested} classes): booted once, injected into
 * every test, undone after each test, closed after the class.
 */
final class ClassCluster implements AutoCloseable {
    private final Class<?> testClass;
    private final String owner;
    private final Path resultsDir;
    private final BootedCluster booted;
    /** Some test of the class is {@link Fresh}: the snapshot is taken before the first test. */
    private final boolean usesFresh;

    private boolean snapshotTaken;
    private volatile boolean closed;

    /** The snapshot {@link Fresh} tests start from. */
    static final String FRESH_SNAPSHOT = "junit-fresh";

    private ClassCluster(Class<?> testClass, String owner, Path resultsDir, BootedCluster booted) {
        this.testClass = testClass;
        this.owner = owner;
        this.resultsDir = resultsDir;
        this.booted = booted;
        this.usesFresh = usesFresh(testClass);
    }

    /** The class, one of its test methods or one of its {@code @Nested} classes (at any depth) is {@link Fresh}. */
    static boolean usesFresh(Class<?> c) {
        if (AnnotationSupport.isAnnotated(c, Fresh.class)
                || !AnnotationSupport.findAnnotatedMethods(c, Fresh.class, HierarchyTraversalMode.TOP_DOWN)
                        .isEmpty()) {
            return true;
        }
        for (Class<?> inner : c.getDeclaredClasses()) {
            if (AnnotationSupport.isAnnotated(inner, Nested.class) && usesFresh(inner)) {
                return true;
            }
        }
        return false;
    }

    /** {@code test} (a test method of {@code testClass} or of a {@code @Nested} class in it) is {@link Fresh}. */
    private boolean isFresh(Method test, Class<?> testClassOfTest) {
        if (AnnotationSupport.isAnnotated(test, Fresh.class)) {
            return true;
        }
        for (Class<?> c = testClassOfTest; c != null; c = c.getEnclosingClass()) {
            if (AnnotationSupport.isAnnotated(c, Fresh.class)) {
                return true;
            }
            if (c == testClass) {
                break;
            }
        }
        return false;
    }

    /**
     * Before a test (and its {@code @BeforeEach} methods): with {@link Fresh} tests in the class,
     * the first test takes the snapshot, a later {@code @Fresh} test restores it. Returns what was
     * done, for the report, or null.
     */
    synchronized String beforeTest(Method test, Class<?> testClassOfTest) {
        if (!usesFresh) {
            return null;
        }
        long t0 = System.nanoTime();
        if (!snapshotTaken) {
            booted.snapshot(FRESH_SNAPSHOT);
            snapshotTaken = true;
            return "took snapshot " + FRESH_SNAPSHOT + " in " + (System.nanoTime() - t0) / 1_000_000 + " ms";
        }
        if (!isFresh(test, testClassOfTest)) {
            return null;
        }
        booted.restore(FRESH_SNAPSHOT);
        return "restored snapshot " + FRESH_SNAPSHOT + " in " + (System.nanoTime() - t0) / 1_000_000 + " ms";
    }

    /**
     * Reads the definition, creates the results directory and boots.
     *
     * @param owner the unique id of the extension context that closes it
     * @throws VmClusterBootException if the cluster did not come up (nothing of it is left running)
     */
    static ClassCluster boot(
            Class<?> testClass, String owner, VmCluster config, ClusterBooter booter, Path resultsRoot) {
        ClusterSpec spec = SpecSource.of(testClass, config);
        Path dir = ClassResults.create(resultsRoot, testClass);
        BootedCluster booted;
        try {
            booted = booter.boot(spec, config.accel(), dir);
        } catch (RuntimeException e) {
            throw new VmClusterBootException(testClass, spec, dir, e);
        }
        return new ClassCluster(testClass, owner, dir, booted);
    }

    String owner() {
        return owner;
    }

    Path resultsDir() {
        return resultsDir;
    }

    boolean supports(ParameterContext p) {
        Class<?> type = p.getParameter().getType();
        if (p.isAnnotated(ResultsDir.class)) {
            return type == Path.class;
        }
        if (type == Object.class) {
            return false;
        }
        return booted.byName().values().stream().anyMatch(type::isInstance)
                || booted.byType().stream().anyMatch(type::isInstance);
    }

    Object resolve(ParameterContext p) {
        Parameter parameter = p.getParameter();
        Class<?> type = parameter.getType();
        if (p.isAnnotated(ResultsDir.class)) {
            return resultsDir;
        }
        Map<String, Object> byName = booted.byName();
        if (byName.values().stream().anyMatch(type::isInstance)) {
            String name = nodeName(p, byName.keySet().stream().toList());
            Object node = byName.get(name);
            if (node == null) {
                throw new ParameterResolutionException(where(p) + ": the cluster has no node '" + name
                        + "'; its nodes are " + byName.keySet()
                        + " (a node parameter is named like its node, or annotated @NodeName(\"…\"))");
            }
            return node;
        }
        List<Object> matches = booted.byType().stream().filter(type::isInstance).toList();
        if (matches.size() != 1) {
            throw new ParameterResolutionException(where(p) + ": " + matches.size() + " values of the cluster fit type "
                    + type.getName() + "; declare Cluster, Node or Faults");
        }
        return matches.get(0);
    }

    private static String nodeName(ParameterContext p, List<String> nodes) {
        Optional<NodeName> annotated = p.findAnnotation(NodeName.class);
        if (annotated.isPresent()) {
            return annotated.get().value();
        }
        if (!p.getParameter().isNamePresent()) {
            throw new ParameterResolutionException(where(p) + " has no name in the class file, so it cannot say"
                    + " which of " + nodes + " it wants: compile with -parameters (maven-compiler-plugin"
                    + " <parameters>true</parameters>) or annotate it @NodeName(\"" + nodes.get(0) + "\")");
        }
        return p.getParameter().getName();
    }

    private static String where(ParameterContext p) {
        return "parameter " + p.getIndex() + " (" + p.getParameter().getType().getSimpleName() + " "
                + p.getParameter().getName() + ") of " + p.getDeclaringExecutable();
    }

    /** Undoes what the test that just ended left in effect. */
    void afterTest() {
        booted.afterTest();
    }

    /** What a failure of {@code test} gets attached: the results path and every node's log tails. */
    ClusterEvidence evidence(String test) {
        String tails;
        try {
            tails = booted.logTails(test);
        } catch (RuntimeException e) {
            tails = "(the log tails could not be read: " + e + ")\n";
        }
        return new ClusterEvidence("vmcluster: the results of " + testClass.getName() + " are in " + resultsDir + "\n"
                + (tails.isBlank() ? "(no node has written a log line yet)\n" : tails));
    }

    /** Stops the cluster. Idempotent: the extension closes it after the class and JUnit's store again. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        booted.close();
    }
}
