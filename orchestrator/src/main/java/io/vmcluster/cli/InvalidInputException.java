package io.vmcluster.cli;

/** The user's input is wrong; the message names the file, line, field and what would be valid. Exit 2. */
public class InvalidInputException extends RuntimeException {
    public InvalidInputException(String message) {
        super(message);
    }

    public InvalidInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
