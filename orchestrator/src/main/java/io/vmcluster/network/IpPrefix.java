package io.vmcluster.network;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/** An IPv4 address with a prefix length, as {@code ip addr} writes it: {@code 192.168.1.254/24}. */
public record IpPrefix(Inet4Address address, int length) {
    private static final Pattern FORM = Pattern.compile("(\\d{1,3}(?:\\.\\d{1,3}){3})/(\\d{1,2})");

    public IpPrefix {
        if (address == null) {
            throw new IllegalArgumentException("address missing");
        }
        if (length < 0 || length > 32) {
            throw new IllegalArgumentException("prefix length must be 0..32, got " + length);
        }
    }

    /** Parses {@code a.b.c.d/n}. */
    public static IpPrefix parse(String text) {
        var m = FORM.matcher(text == null ? "" : text.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException(
                    "'" + text + "' is not an IPv4 address with prefix; write it like 192.168.1.254/24");
        }
        for (String octet : m.group(1).split("\\.")) {
            if (Integer.parseInt(octet) > 255) {
                throw new IllegalArgumentException("'" + text + "' has an octet above 255");
            }
        }
        try {
            return new IpPrefix((Inet4Address) InetAddress.getByName(m.group(1)), Integer.parseInt(m.group(2)));
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("'" + text + "' is not an IPv4 address", e);
        }
    }

    @Override
    public String toString() {
        return address.getHostAddress() + "/" + length;
    }
}
