package io.vmcluster.qmp.agent;

/**
 * One {@code guest-file-read}.
 *
 * @param data the bytes read (decoded from base64)
 * @param eof whether the end of the file was reached
 */
public record GuestFileRead(byte[] data, boolean eof) {}
