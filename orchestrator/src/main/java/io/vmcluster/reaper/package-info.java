/**
 * Run hygiene: a {@link io.vmcluster.reaper.Run} owns a run directory, the namespaces and the
 * child processes of one run and removes them on close or JVM shutdown; the
 * {@link io.vmcluster.reaper.Reaper} removes what runs killed with {@code kill -9} left.
 */
package io.vmcluster.reaper;
