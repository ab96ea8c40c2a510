package io.vmcluster.image.build;

/**
 * Building an image failed, or the host lacks what the builder needs (apt, dpkg-deb, cpio...);
 * the message carries the builder's last output. Exit 3.
 */
public final class ImageBuildException extends RuntimeException {
    public ImageBuildException(String message, Throwable cause) {
        super(message, cause);
    }
}
