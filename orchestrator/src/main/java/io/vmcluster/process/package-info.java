/**
 * Child processes of the orchestrator: short commands ({@link io.vmcluster.process.Commands},
 * output captured in memory, bounded by a timeout) and long-lived children such as QEMU
 * ({@link io.vmcluster.process.ProcessLauncher}: output to files, exit as a future, optionally
 * inside a network namespace, and killed by the kernel when the JVM dies).
 */
package io.vmcluster.process;
