package io.vmcluster.channel;

import java.nio.charset.StandardCharsets;

/**
 * The {@code VMC-STATUS <token> <exit> <timedOut>} line that the {@link GuestScript} wrapper
 * appends to stdout; {@code start} is where it begins, i.e. the
 * length of the command's real stdout.
 */
record StatusTrailer(int start, int exitCode, boolean timedOut) {

    /** The trailer at the very end of {@code out}, or null when it is missing (output cut short). */
    static StatusTrailer find(byte[] out, String token) {
        int from = Math.max(0, out.length - 64);
        String tail = new String(out, from, out.length - from, StandardCharsets.ISO_8859_1);
        String marker = "VMC-STATUS " + token + " ";
        int at = tail.lastIndexOf(marker);
        if (at < 0 || !tail.endsWith("\n")) {
            return null;
        }
        String[] f = tail.substring(at + marker.length(), tail.length() - 1).split(" ");
        if (f.length != 2 || !f[0].matches("\\d{1,3}") || !f[1].matches("[01]")) {
            return null;
        }
        return new StatusTrailer(from + at, Integer.parseInt(f[0]), f[1].equals("1"));
    }
}
