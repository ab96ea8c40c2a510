package io.vmcluster.cli;

/** The host cannot do what the run needs; the message says what is missing and how to fix it. Exit 3. */
public class HostLacksException extends RuntimeException {
    public HostLacksException(String message) {
        super(message);
    }

    public HostLacksException(String message, Throwable cause) {
        super(message, cause);
    }
}
