package io.vmcluster.junit5;

import java.util.Optional;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.LifecycleMethodExecutionExceptionHandler;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.junit.jupiter.api.extension.TestInstanceFactoryContext;
import org.junit.jupiter.api.extension.TestInstancePreConstructCallback;
import org.junit.platform.commons.support.AnnotationSupport;
import org.opentest4j.TestAbortedException;

/**
 * The extension behind {@link VmCluster}: boots the class's cluster before its first test (or
 * before its instance is made, under {@link TestInstance.Lifecycle#PER_CLASS}), resolves the
 * parameters {@link VmCluster} lists, takes and restores the snapshot of {@link Fresh} tests,
 * undoes open faults after each test, attaches {@link
 * ClusterEvidence} to failures and closes the cluster after the class. {@code @Nested} classes
 * share the enclosing class's cluster. State lives in the class's extension store only, so
 * classes running in parallel each have their own.
 */
public final class VmClusterExtension
        implements BeforeAllCallback,
                TestInstancePreConstructCallback,
                BeforeEachCallback,
                AfterEachCallback,
                AfterAllCallback,
                ParameterResolver,
                TestExecutionExceptionHandler,
                LifecycleMethodExecutionExceptionHandler {
    /** JUnit configuration parameter: the {@link ClusterBooter} class (the extension's own tests). */
    static final String BOOTER_PARAMETER = "vmcluster.junit5.booter";

    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(VmClusterExtension.class);
    private static final String KEY = "cluster";
    private static final String RESULTS_ENTRY = "vmcluster.results";
    private static final String FRESH_ENTRY = "vmcluster.fresh";

    @Override
    public void preConstructTestInstance(TestInstanceFactoryContext factory, ExtensionContext context) {
        if (context.getTestInstanceLifecycle().orElse(null) == TestInstance.Lifecycle.PER_CLASS) {
            booted(context); // the instance is made before beforeAll: its constructor may take nodes
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        booted(context);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        Optional<ClassCluster> cluster = find(context);
        if (cluster.isPresent()) {
            String done = cluster.get().beforeTest(context.getRequiredTestMethod(), context.getRequiredTestClass());
            if (done != null) {
                context.publishReportEntry(FRESH_ENTRY, done);
            }
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        find(context).ifPresent(ClassCluster::afterTest);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        find(context).filter(c -> c.owner().equals(context.getUniqueId())).ifPresent(ClassCluster::close);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return find(context).map(c -> c.supports(parameter)).orElse(false);
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return find(context).orElseThrow().resolve(parameter);
    }

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
        throw attach(context, failure);
    }

    @Override
    public void handleBeforeAllMethodExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
        throw attach(context, failure);
    }

    @Override
    public void handleBeforeEachMethodExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
        throw attach(context, failure);
    }

    @Override
    public void handleAfterEachMethodExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
        throw attach(context, failure);
    }

    @Override
    public void handleAfterAllMethodExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
        throw attach(context, failure);
    }

    /** The cluster of this context's class (or an enclosing one), booting it if there is none yet. */
    private static ClassCluster booted(ExtensionContext context) {
        Optional<ClassCluster> existing = find(context);
        if (existing.isPresent()) {
            return existing.get(); // a @Nested class, or PER_CLASS booted it before beforeAll
        }
        Class<?> testClass = context.getRequiredTestClass();
        VmCluster config = AnnotationSupport.findAnnotation(testClass, VmCluster.class)
                .orElseThrow(() -> new ExtensionConfigurationException(testClass.getName()
                        + " registers VmClusterExtension without @VmCluster: annotate the class"
                        + " @VmCluster(file = \"…\") or @VmCluster(spec = \"…\") instead"));
        ClassCluster cluster = ClassCluster.boot(
                testClass, context.getUniqueId(), config, booter(context), ClassResults.root(context));
        context.getStore(NAMESPACE).put(KEY, cluster);
        context.publishReportEntry(RESULTS_ENTRY, cluster.resultsDir().toString());
        return cluster;
    }

    private static Optional<ClassCluster> find(ExtensionContext context) {
        return Optional.ofNullable(context.getStore(NAMESPACE).get(KEY, ClassCluster.class));
    }

    private static Throwable attach(ExtensionContext context, Throwable failure) {
        if (failure instanceof TestAbortedException) {
            return failure; // an assumption, not a failure
        }
        for (Throwable s : failure.getSuppressed()) {
            if (s instanceof ClusterEvidence) {
                return failure;
            }
        }
        find(context).ifPresent(c -> {
            failure.addSuppressed(c.evidence(context.getDisplayName()));
            context.publishReportEntry(RESULTS_ENTRY, c.resultsDir().toString());
        });
        return failure;
    }

    private static ClusterBooter booter(ExtensionContext context) {
        Optional<String> name = context.getConfigurationParameter(BOOTER_PARAMETER);
        if (name.isEmpty()) {
            return new RealBooter();
        }
        try {
            var constructor =
                    Class.forName(name.get()).asSubclass(ClusterBooter.class).getDeclaredConstructor();
            constructor.setAccessible(true);
            return constructor.newInstance();
        } catch (ReflectiveOperationException | ClassCastException e) {
            throw new ExtensionConfigurationException(
                    BOOTER_PARAMETER + " = " + name.get() + " is not a ClusterBooter with a no-argument constructor",
                    e);
        }
    }
}
