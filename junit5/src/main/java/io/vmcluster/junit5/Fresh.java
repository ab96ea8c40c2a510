package io.vmcluster.junit5;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The annotated test (or every test of the annotated {@link VmCluster} class) starts from the
 * cluster as it was when the class's first test began: after the class's {@code @BeforeAll}
 * methods (which may form the cluster), before any test changed it.
 *
 * <p>If the class or any of its methods (or {@code @Nested} classes) is {@code @Fresh}, the
 * extension takes one whole-cluster snapshot (docs/snapshots.md) before the class's first test,
 * and before every later {@code @Fresh} test, after the faults of the test before were undone, it
 * restores it: guest memory, devices and data disks go back to the cut, the guest clocks are set
 * to the host's. {@code @BeforeEach} methods run after the restore. A restore costs seconds
 * instead of a reboot's tens of seconds. The tests of a {@code @Fresh} class must not run
 * concurrently with each other (JUnit's default: one class's methods run in one thread). See
 * docs/junit5.md.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
public @interface Fresh {}
