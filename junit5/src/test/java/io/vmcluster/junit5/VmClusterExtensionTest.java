package io.vmcluster.junit5;

import static org.assertj.core.api.Assertions.assertThat;

import io.vmcluster.cluster.spec.ClusterSpec;
import io.vmcluster.junit5.FakeBooter.FakeCluster;
import io.vmcluster.junit5.FakeBooter.FakeNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.engine.DiscoverySelector;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;
import org.junit.platform.testkit.engine.Events;

/**
 * The extension's lifecycle, run on sample test classes through JUnit's own engine, with a
 * recording {@link FakeBooter} in place of VMs (EtcdClusterIT does the same on real ones).
 */
class VmClusterExtensionTest {
    @TempDir
    Path results;

    /** Identities of the clusters the samples were given, by test. */
    static final Set<Integer> SEEN = ConcurrentHashMap.newKeySet();

    @BeforeEach
    void clearLog() {
        FakeBooter.LOG.clear();
        SEEN.clear();
    }

    @AfterEach
    void noBarrier() {
        FakeBooter.bootBarrier = null;
    }

    private EngineExecutionResults run(Class<?>... classes) {
        return kit(classes).execute();
    }

    private EngineTestKit.Builder kit(Class<?>... classes) {
        return EngineTestKit.engine("junit-jupiter")
                .configurationParameter(VmClusterExtension.BOOTER_PARAMETER, FakeBooter.class.getName())
                .configurationParameter(ClassResults.ROOT_PARAMETER, results.toString())
                .selectors(Arrays.stream(classes)
                        .map(DiscoverySelectors::selectClass)
                        .toArray(DiscoverySelector[]::new));
    }

    private static List<Throwable> failures(Events events) {
        List<Throwable> out = new ArrayList<>();
        for (Event e : events.failed().list()) {
            e.getPayload(TestExecutionResult.class)
                    .flatMap(TestExecutionResult::getThrowable)
                    .ifPresent(out::add);
        }
        return out;
    }

    // ---- samples (run only through the kit: nested classes are not picked up by surefire) ----

    static final ClusterSpec THREE =
            ClusterSpec.builder().name("three").nodes(3).build();

    @VmCluster(spec = "THREE")
    static class ThreeTests extends Base {
        @Test
        void first(FakeCluster cluster, FakeNode node2) {
            SEEN.add(System.identityHashCode(cluster));
            assertThat(node2.name()).isEqualTo("node2");
        }

        @Test
        void second(FakeCluster cluster) {
            SEEN.add(System.identityHashCode(cluster));
        }

        @Test
        void third(FakeCluster cluster, @ResultsDir Path dir) {
            SEEN.add(System.identityHashCode(cluster));
            assertThat(dir).isEqualTo(cluster.resultsDir()).isDirectory();
        }
    }

    @Test
    void bootsOncePerClassGivesEveryTestThatClusterAndClosesItOnceAfterTheLast() {
        EngineExecutionResults r = run(ThreeTests.class);

        r.testEvents().assertStatistics(s -> s.started(3).succeeded(3));
        assertThat(SEEN).as("one cluster object for all three tests").hasSize(1);
        assertThat(FakeBooter.LOG)
                .containsExactly(
                        "boot three [node1, node2, node3] in " + ThreeTests.class.getName(),
                        "undo faults three",
                        "undo faults three",
                        "undo faults three",
                        "close three");
    }

    @Test
    void theClusterIsClosedAfterTheClassEvenWhereJUnitClosesNothingInItsStore() {
        kit(ThreeTests.class)
                .configurationParameter("junit.jupiter.extensions.store.close.autocloseable.enabled", "false")
                .execute()
                .testEvents()
                .assertStatistics(s -> s.succeeded(3));

        assertThat(FakeBooter.LOG).last().isEqualTo("close three");
    }

    @VmCluster(file = "src/test/resources/clusters/three.yaml")
    static class FromFile {
        @Test
        void byNameAndByAnnotation(FakeNode node1, @NodeName("node3") FakeNode other) {
            assertThat(node1.name()).isEqualTo("node1");
            assertThat(other.name()).isEqualTo("node3");
        }
    }

    @Test
    void aClusterFileIsReadAndNodesAreInjectedByParameterNameOrByNodeName() {
        EngineExecutionResults r = run(FromFile.class);

        r.testEvents().assertStatistics(s -> s.started(1).succeeded(1));
        assertThat(FakeBooter.LOG)
                .first()
                .isEqualTo("boot etcd-three [node1, node2, node3] in " + FromFile.class.getName());
    }

    @VmCluster(spec = "THREE")
    static class UnknownNode extends Base {
        @Test
        void wantsNode9(FakeNode node9) {}
    }

    static class Base {
        static final ClusterSpec THREE = VmClusterExtensionTest.THREE;
    }

    @Test
    void aParameterNamedLikeNoNodeFailsTheTestListingTheNodes() {
        EngineExecutionResults r = run(UnknownNode.class);

        r.testEvents().assertStatistics(s -> s.started(1).failed(1));
        assertThat(failures(r.testEvents()))
                .singleElement()
                .satisfies(t -> assertThat(t.getMessage())
                        .contains("FakeNode node9")
                        .contains("has no node 'node9'; its nodes are [node1, node2, node3]")
                        .contains("@NodeName"));
    }

    @VmCluster(spec = "spec")
    static class Failing {
        static ClusterSpec spec() {
            return ClusterSpec.builder().name("failing").nodes(2).build();
        }

        @Test
        void fails(FakeNode node1) {
            assertThat(node1.name()).as("what the test expected").isEqualTo("node2");
        }

        @Test
        void passes() {}
    }

    @Test
    void aFailedTestCarriesTheResultsPathAndTheNodesLogTailsAndTheClusterIsStillUndoneAndClosed() {
        EngineExecutionResults r = run(Failing.class);

        r.testEvents().assertStatistics(s -> s.started(2).failed(1).succeeded(1));
        Throwable failure = failures(r.testEvents()).get(0);
        assertThat(failure).isInstanceOf(AssertionError.class);
        assertThat(failure.getSuppressed())
                .singleElement()
                .isInstanceOf(ClusterEvidence.class)
                .satisfies(e -> assertThat(e.getMessage())
                        .contains("the results of " + Failing.class.getName() + " are in "
                                + results.resolve(Failing.class.getName()))
                        .contains("--- node1: last lines of serial.log ---\nVMC-READY node1"));
        assertThat(FakeBooter.LOG)
                .as("faults undone after the failed test too, then closed once")
                .containsExactly(
                        "boot failing [node1, node2] in " + Failing.class.getName(),
                        "undo faults failing",
                        "undo faults failing",
                        "close failing");
    }

    @VmCluster(spec = "DOOMED")
    static class Doomed {
        static final ClusterSpec DOOMED =
                ClusterSpec.builder().name("doomed").nodes(2).build();

        @Test
        void neverRuns(FakeCluster cluster) {}
    }

    @Test
    void aBootFailureFailsTheClassWithTheResultsPathAndTheCauseAndRunsNoTest() {
        EngineExecutionResults r = run(Doomed.class);

        r.testEvents().assertStatistics(s -> s.started(0));
        assertThat(failures(r.containerEvents()))
                .singleElement()
                .isInstanceOf(VmClusterBootException.class)
                .satisfies(e -> assertThat(e.getMessage())
                        .contains("the cluster 'doomed' [node1, node2] of " + Doomed.class.getName() + " did not boot")
                        .contains("its logs are in " + results.resolve(Doomed.class.getName()))
                        .contains("node2 did not print its readiness line"));
        assertThat(FakeBooter.LOG).containsExactly("boot failed doomed");
    }

    @VmCluster(spec = "THREE")
    static class Outer extends Base {
        @Test
        void outer(FakeCluster cluster) {
            SEEN.add(System.identityHashCode(cluster));
        }

        @Nested
        class Inner {
            @Test
            void inner(FakeCluster cluster) {
                SEEN.add(System.identityHashCode(cluster));
            }
        }
    }

    @Test
    void aNestedClassSharesTheEnclosingClassesClusterWhichClosesAfterBoth() {
        EngineExecutionResults r = run(Outer.class);

        r.testEvents().assertStatistics(s -> s.started(2).succeeded(2));
        assertThat(SEEN).hasSize(1);
        assertThat(FakeBooter.LOG).first().asString().startsWith("boot three");
        assertThat(FakeBooter.LOG).filteredOn(l -> l.startsWith("boot")).hasSize(1);
        assertThat(FakeBooter.LOG).last().isEqualTo("close three");
        assertThat(FakeBooter.LOG).filteredOn(l -> l.startsWith("close")).hasSize(1);
    }

    @VmCluster(spec = "THREE")
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    static class PerClass extends Base {
        final FakeNode node;

        PerClass(FakeNode node3) {
            this.node = node3;
        }

        @Test
        void constructorGotANode() {
            assertThat(node.name()).isEqualTo("node3");
        }
    }

    @Test
    void underPerClassLifecycleTheConstructorCanTakeNodes() {
        run(PerClass.class).testEvents().assertStatistics(s -> s.started(1).succeeded(1));
        assertThat(FakeBooter.LOG).filteredOn(l -> l.startsWith("boot")).hasSize(1);
    }

    @VmCluster(spec = "THREE")
    static class ParallelA extends Base {
        @Test
        void a(FakeCluster cluster) {
            SEEN.add(System.identityHashCode(cluster));
        }
    }

    @VmCluster(spec = "THREE")
    static class ParallelB extends Base {
        @Test
        void b(FakeCluster cluster) {
            SEEN.add(System.identityHashCode(cluster));
        }
    }

    @Test
    void classesRunInParallelEachWithItsOwnClusterAndResultsDirectory() throws Exception {
        FakeBooter.bootBarrier = new CyclicBarrier(2); // both boots must be under way at once

        kit(ParallelA.class, ParallelB.class)
                .configurationParameter("junit.jupiter.execution.parallel.enabled", "true")
                .configurationParameter("junit.jupiter.execution.parallel.mode.classes.default", "concurrent")
                .execute()
                .testEvents()
                .assertStatistics(s -> s.started(2).succeeded(2));

        assertThat(SEEN).hasSize(2);
        assertThat(FakeBooter.LOG)
                .filteredOn(l -> l.startsWith("boot"))
                .containsExactlyInAnyOrder(
                        "boot three [node1, node2, node3] in " + ParallelA.class.getName(),
                        "boot three [node1, node2, node3] in " + ParallelB.class.getName());
        assertThat(FakeBooter.LOG).filteredOn(l -> l.startsWith("close")).hasSize(2);
        try (var dirs = Files.list(results)) {
            assertThat(dirs.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder(ParallelA.class.getName(), ParallelB.class.getName());
        }
    }

    @Test
    void aSecondRunOfAClassGetsAFreshResultsDirectoryAndKeepsTheFirst() {
        run(ThreeTests.class);
        run(ThreeTests.class);

        assertThat(results.resolve(ThreeTests.class.getName())).isDirectory();
        assertThat(results.resolve(ThreeTests.class.getName() + "-2")).isDirectory();
        assertThat(FakeBooter.LOG)
                .filteredOn(l -> l.startsWith("boot"))
                .containsExactly(
                        "boot three [node1, node2, node3] in " + ThreeTests.class.getName(),
                        "boot three [node1, node2, node3] in " + ThreeTests.class.getName() + "-2");
    }

    // ---- where the cluster comes from: mistakes ----

    @VmCluster
    static class NoSpec {
        @Test
        void t() {}
    }

    @VmCluster
    static class TwoSpecs {
        static final ClusterSpec A = THREE;

        static ClusterSpec b() {
            return THREE;
        }

        @Test
        void t() {}
    }

    @VmCluster
    static class OnlySpec {
        private static final ClusterSpec ONLY =
                ClusterSpec.builder().name("only").nodes(1).build();

        @Test
        void t(FakeNode node1) {}
    }

    @VmCluster(spec = "TYPO")
    static class MisnamedSpec extends Base {
        @Test
        void t() {}
    }

    @VmCluster(file = "src/test/resources/clusters/missing.yaml")
    static class MissingFile {
        @Test
        void t() {}
    }

    @ExtendWith(VmClusterExtension.class)
    static class NoAnnotation {
        @Test
        void t() {}
    }

    private String classFailure(Class<?> sample) {
        EngineExecutionResults r = run(sample);
        r.testEvents().assertStatistics(s -> s.started(0));
        List<Throwable> f = failures(r.containerEvents());
        assertThat(f).hasSize(1);
        return f.get(0).getMessage();
    }

    @Test
    void withoutFileOrSpecTheOnlyStaticClusterSpecIsUsed() {
        run(OnlySpec.class).testEvents().assertStatistics(s -> s.succeeded(1));
        assertThat(FakeBooter.LOG).first().asString().startsWith("boot only [node1]");
    }

    @Test
    void everyMistakeInSayingWhichClusterFailsTheClassSayingWhatIsValidAndBootsNothing() {
        assertThat(classFailure(NoSpec.class))
                .contains("@VmCluster on " + NoSpec.class.getName())
                .contains("says neither file")
                .contains("has no static field or no-argument method of type ClusterSpec");
        assertThat(classFailure(TwoSpecs.class)).contains("has 2 static field").contains("[A, b()]");
        assertThat(classFailure(MisnamedSpec.class))
                .contains("spec = \"TYPO\" is not a static field")
                .contains("those it has: [THREE]");
        assertThat(classFailure(MissingFile.class))
                .contains("file = \"src/test/resources/clusters/missing.yaml\" is not a file")
                .contains(Path.of("src/test/resources/clusters/missing.yaml")
                        .toAbsolutePath()
                        .toString());
        assertThat(classFailure(NoAnnotation.class)).contains("without @VmCluster");
        assertThat(FakeBooter.LOG).isEmpty();
    }

    // ---- @Fresh ----

    @VmCluster(spec = "THREE")
    @Fresh
    @TestMethodOrder(MethodOrderer.MethodName.class)
    static class FreshClass extends Base {
        @org.junit.jupiter.api.BeforeAll
        static void formed() {
            FakeBooter.LOG.add("beforeAll");
        }

        @BeforeEach
        void setUp() {
            FakeBooter.LOG.add("beforeEach");
        }

        @Test
        void a() {
            FakeBooter.LOG.add("test a");
        }

        @Test
        void b() {
            FakeBooter.LOG.add("test b");
        }

        @Test
        void c() {
            FakeBooter.LOG.add("test c");
        }
    }

    @Test
    void aFreshClassSnapshotsBeforeItsFirstTestAndRestoresBeforeEveryLaterOneAfterTheFaultsAreUndone() {
        EngineExecutionResults r = run(FreshClass.class);

        r.testEvents().assertStatistics(s -> s.started(3).succeeded(3));
        assertThat(FakeBooter.LOG)
                .containsExactly(
                        "boot three [node1, node2, node3] in " + FreshClass.class.getName(),
                        "beforeAll",
                        "snapshot " + ClassCluster.FRESH_SNAPSHOT,
                        "beforeEach",
                        "test a",
                        "undo faults three",
                        "restore " + ClassCluster.FRESH_SNAPSHOT,
                        "beforeEach",
                        "test b",
                        "undo faults three",
                        "restore " + ClassCluster.FRESH_SNAPSHOT,
                        "beforeEach",
                        "test c",
                        "undo faults three",
                        "close three");
        assertThat(r.allEvents().reportingEntryPublished().stream()
                        .flatMap(e -> e.getPayload(org.junit.platform.engine.reporting.ReportEntry.class).stream())
                        .flatMap(e -> e.getKeyValuePairs().entrySet().stream())
                        .filter(e -> e.getKey().equals("vmcluster.fresh"))
                        .map(java.util.Map.Entry::getValue))
                .as("each test's report says what was done for it")
                .hasSize(3)
                .first()
                .asString()
                .startsWith("took snapshot junit-fresh in ");
    }

    @VmCluster(spec = "THREE")
    @TestMethodOrder(MethodOrderer.MethodName.class)
    static class OneFreshMethod extends Base {
        @Test
        void a() {
            FakeBooter.LOG.add("test a");
        }

        @Test
        void b() {
            FakeBooter.LOG.add("test b");
        }

        @Nested
        class Inner {
            @Test
            @Fresh
            void c() {
                FakeBooter.LOG.add("test c");
            }
        }
    }

    @VmCluster(spec = "THREE")
    @TestMethodOrder(MethodOrderer.MethodName.class)
    static class FreshNested extends Base {
        @Test
        void a() {
            FakeBooter.LOG.add("test a");
        }

        @Nested
        @Fresh
        class Inner {
            @Test
            void b() {
                FakeBooter.LOG.add("test b");
            }
        }
    }

    @Test
    void onlyFreshTestsRestoreButTheSnapshotIsTakenBeforeTheClasssFirstTestAndNoneWithoutFresh() {
        run(OneFreshMethod.class).testEvents().assertStatistics(s -> s.succeeded(3));
        assertThat(FakeBooter.LOG)
                .as("a @Fresh method in a @Nested class")
                .containsExactly(
                        "boot three [node1, node2, node3] in " + OneFreshMethod.class.getName(),
                        "snapshot junit-fresh",
                        "test a",
                        "undo faults three",
                        "test b",
                        "undo faults three",
                        "restore junit-fresh",
                        "test c",
                        "undo faults three",
                        "close three");

        FakeBooter.LOG.clear();
        run(FreshNested.class).testEvents().assertStatistics(s -> s.succeeded(2));
        assertThat(FakeBooter.LOG)
                .as("a @Fresh @Nested class")
                .containsSubsequence("snapshot junit-fresh", "test a", "restore junit-fresh", "test b");

        FakeBooter.LOG.clear();
        run(ThreeTests.class).testEvents().assertStatistics(s -> s.succeeded(3));
        assertThat(FakeBooter.LOG)
                .as("no @Fresh: no snapshot")
                .noneMatch(l -> l.startsWith("snapshot") || l.startsWith("restore"));
    }
}
