package io.vmcluster.cli;

/** What {@code vmcluster} tells its caller through the process exit status. */
public enum ExitCode {
    /** Every subtest passed (or the command did what it was asked). */
    PASSED(0),
    /** At least one subtest failed. */
    TEST_FAILED(1),
    /** The input is wrong: a scenario file, an option, a parameter. Nothing was booted. */
    INVALID_INPUT(2),
    /** The host lacks something the run needs (QEMU, namespaces, memory, an image that cannot be built). */
    HOST_LACKS(3),
    /** vmcluster itself failed unexpectedly; the message says where, {@code -v} shows the stack trace. */
    INTERNAL_ERROR(4);

    private final int code;

    ExitCode(int code) {
        this.code = code;
    }

    /** The process exit status. */
    public int code() {
        return code;
    }
}
