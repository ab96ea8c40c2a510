/**
 * The orchestrator's only native code: jnr-ffi bindings to libc (setns for a thread, kill).
 * Nothing outside this package declares a native function.
 */
package io.vmcluster.nativeio;
