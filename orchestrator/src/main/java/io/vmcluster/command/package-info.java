/**
 * Commands and what they return, wherever they run: the one {@link io.vmcluster.command.CommandResult}
 * (exit code, stdout, stderr, duration), the one pair of exceptions ({@link
 * io.vmcluster.command.CommandFailedException}, {@link io.vmcluster.command.CommandTimeoutException})
 * and the one quoting helper for sh ({@link io.vmcluster.command.ShellQuote}). Guest channels
 * ({@code io.vmcluster.channel}), host programs ({@code io.vmcluster.process.Commands}), libnftables
 * and faults all speak these types; nothing here runs anything.
 */
package io.vmcluster.command;
