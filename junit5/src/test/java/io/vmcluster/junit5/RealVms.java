package io.vmcluster.junit5;

import io.vmcluster.image.ImageStore;
import java.nio.file.Files;

/** Condition of the ITs: root (namespaces, taps) and the etcd-test image built (scripts/test builds it). */
final class RealVms {
    private RealVms() {}

    static boolean available() {
        return "root".equals(System.getProperty("user.name"))
                && Files.isDirectory(ImageStore.standard().cacheDir().resolve("etcd-test"));
    }
}
