package io.vmcluster.qmp.testing;

import java.io.IOException;
import jnr.ffi.LibraryLoader;
import jnr.ffi.annotations.Out;

/** The few libc calls the tests need to make real file descriptors to pass to QEMU. */
public final class Posix {
    /** libc, for tests. */
    public interface LibC {
        int pipe(@Out int[] fds);

        long read(int fd, @Out byte[] buffer, long count);

        int close(int fd);
    }

    public static final LibC LIBC = LibraryLoader.create(LibC.class).load("c");

    private Posix() {}

    /** A pipe: {read end, write end}. */
    public static int[] pipe() throws IOException {
        int[] fds = new int[2];
        if (LIBC.pipe(fds) != 0) {
            throw new IOException("pipe() failed");
        }
        return fds;
    }
}
