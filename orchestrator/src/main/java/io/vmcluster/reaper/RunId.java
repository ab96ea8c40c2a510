package io.vmcluster.reaper;

import java.security.SecureRandom;
import java.util.regex.Pattern;

/**
 * The id of one run of vmcluster: 8 characters of {@code [a-z0-9]}, random. It names the run
 * directory and, with the {@code vmc-} prefix, the run's network namespaces.
 */
public record RunId(String value) {
    private static final Pattern VALID = Pattern.compile("[a-z0-9]{1,16}");
    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
    private static final SecureRandom RANDOM = new SecureRandom();

    public RunId {
        if (value == null || !VALID.matcher(value).matches()) {
            throw new IllegalArgumentException("'" + value + "' is not a run id: 1 to 16 of [a-z0-9]");
        }
    }

    /** A fresh random id. */
    public static RunId random() {
        StringBuilder sb = new StringBuilder(8);
        for (int i = 0; i < 8; i++) {
            sb.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return new RunId(sb.toString());
    }

    /** Whether {@code text} is a valid run id (a run directory's name). */
    public static boolean isValid(String text) {
        return text != null && VALID.matcher(text).matches();
    }

    @Override
    public String toString() {
        return value;
    }
}
