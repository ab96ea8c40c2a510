package io.vmcluster.nativeio;

import jnr.ffi.annotations.SaveError;

/**
 * The libc functions vmcluster calls through jnr-ffi. Public only because jnr-ffi must implement
 * it from another class loader; nothing outside this package uses it: everything else goes
 * through {@link Native}, which checks return values and turns errno into exceptions.
 */
public interface LibC {
    @SaveError
    int open(String path, int flags);

    @SaveError
    int close(int fd);

    @SaveError
    int dup2(int oldfd, int newfd);

    @SaveError
    int setns(int fd, int nstype);

    @SaveError
    int kill(int pid, int signal);

    int getpid();

    String strerror(int errno);
}
