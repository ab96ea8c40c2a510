package io.vmcluster.image;

/** An image is missing, cannot be built, or its manifest is wrong; the message says which file. */
public final class InvalidImageException extends RuntimeException {
    public InvalidImageException(String message, Throwable cause) {
        super(message, cause);
    }
}
