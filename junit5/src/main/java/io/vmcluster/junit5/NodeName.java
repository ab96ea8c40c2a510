package io.vmcluster.junit5;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Names the node a {@link io.vmcluster.cluster.Node} parameter gets, where the parameter's own
 * name cannot (the class was compiled without {@code -parameters}, or the name is not a node's).
 */
@Target(ElementType.PARAMETER)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface NodeName {
    /** The node's name in the cluster definition, e.g. {@code node1}. */
    String value();
}
