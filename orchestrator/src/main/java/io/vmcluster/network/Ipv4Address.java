package io.vmcluster.network;

/**
 * An IPv4 address as a value.
 *
 * @param bits the address as an unsigned 32-bit number in an int
 */
public record Ipv4Address(int bits) implements Comparable<Ipv4Address> {

    /**
     * Parses dotted-quad notation, e.g. {@code 192.168.1.11}.
     *
     * @throws IllegalArgumentException saying what is wrong with the text
     */
    public static Ipv4Address parse(String text) {
        String[] parts = text == null ? new String[0] : text.strip().split("\\.", -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException("'" + text + "' is not an IPv4 address (write it like 192.168.1.11)");
        }
        int bits = 0;
        for (String part : parts) {
            if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(Character::isDigit)) {
                throw new IllegalArgumentException(
                        "'" + text + "' is not an IPv4 address (write it like 192.168.1.11)");
            }
            int octet = Integer.parseInt(part);
            if (octet > 255) {
                throw new IllegalArgumentException("'" + text + "' is not an IPv4 address: " + octet + " > 255");
            }
            bits = (bits << 8) | octet;
        }
        return new Ipv4Address(bits);
    }

    /** The address {@code n} above this one. */
    public Ipv4Address plus(int n) {
        return new Ipv4Address(bits + n);
    }

    /** The four octets, most significant first. */
    public int octet(int index) {
        return (bits >>> (24 - 8 * index)) & 0xff;
    }

    @Override
    public int compareTo(Ipv4Address o) {
        return Integer.compareUnsigned(bits, o.bits);
    }

    @Override
    public String toString() {
        return octet(0) + "." + octet(1) + "." + octet(2) + "." + octet(3);
    }
}
