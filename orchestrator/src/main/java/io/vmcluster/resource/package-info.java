/** Undoing several things at once: {@link io.vmcluster.resource.Closer}. */
package io.vmcluster.resource;
