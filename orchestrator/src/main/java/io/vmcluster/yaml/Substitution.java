package io.vmcluster.yaml;

/**
 * Replaces references such as {@code ${count}} in a scalar before {@link Fields} reads it as a
 * number, duration or boolean, so a value can come from a parameter and is still checked (after
 * substitution, with the problem located at the use). The scenario language supplies one that
 * knows its params; {@link #NONE} reads values as written.
 */
@FunctionalInterface
public interface Substitution {
    /** Reads values as written. */
    Substitution NONE = (text, where, problems) -> text;

    /**
     * The text to read, or null after adding a problem at {@code where} (an unknown name, or a
     * name whose value is only known later).
     */
    String apply(String text, Location where, Problems problems);
}
