package io.vmcluster.suite;

/** Results directories that cannot be read or merged as a suite; the message names the directory and why. Exit 2. */
public class InvalidSuiteException extends RuntimeException {
    public InvalidSuiteException(String message) {
        super(message);
    }
}
