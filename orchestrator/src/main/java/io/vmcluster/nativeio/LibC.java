package io.vmcluster.nativeio;

import jnr.ffi.annotations.SaveError;

/**
 * The libc functions vmcluster calls through jnr-ffi. Package-private: everything else goes
 * through {@link Native}, which checks return values and turns errno into exceptions.
 */
interface LibC {
    @SaveError
    int open(String path, int flags);

    @SaveError
    int close(int fd);

    @SaveError
    int setns(int fd, int nstype);

    @SaveError
    int kill(int pid, int signal);

    int getpid();

    String strerror(int errno);
}
