package io.vmcluster.network;

import java.util.Locale;

/**
 * An Ethernet MAC address as a value; printed {@code 52:54:00:01:00:02}.
 *
 * @param bits the 48 bits of the address
 */
public record MacAddress(long bits) {
    public MacAddress {
        if (bits < 0 || bits > 0xffff_ffff_ffffL) {
            throw new IllegalArgumentException("a MAC address has 48 bits");
        }
    }

    /** Parses {@code 52:54:00:01:00:02} (six two-digit hex groups, either case). */
    public static MacAddress parse(String text) {
        if (text == null || !text.matches("[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2}){5}")) {
            throw new IllegalArgumentException(
                    "'" + text + "' is not a MAC address: use six two-digit hex groups, like 52:54:00:01:00:02");
        }
        return new MacAddress(Long.parseLong(text.replace(":", ""), 16));
    }

    /** A locally administered QEMU-style address {@code 52:54:00:aa:bb:cc}. */
    public static MacAddress qemu(int a, int b, int c) {
        return new MacAddress(0x5254_0000_0000L | ((long) (a & 0xff) << 16) | ((b & 0xff) << 8) | (c & 0xff));
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(17);
        for (int i = 5; i >= 0; i--) {
            sb.append(String.format(Locale.ROOT, "%02x", (bits >>> (8 * i)) & 0xff));
            if (i > 0) {
                sb.append(':');
            }
        }
        return sb.toString();
    }
}
