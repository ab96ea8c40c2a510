package io.vmcluster.network;

/**
 * An IPv4 network in CIDR notation, e.g. {@code 192.168.1.0/24}.
 *
 * @param network the network address (host bits zero)
 * @param prefixLength number of network bits, 8..30
 */
public record Ipv4Subnet(Ipv4Address network, int prefixLength) {
    public Ipv4Subnet {
        if (prefixLength < 8 || prefixLength > 30) {
            throw new IllegalArgumentException(
                    "prefix length /" + prefixLength + " not supported (use /8 to /30, e.g. 192.168.1.0/24)");
        }
        if ((network.bits() & ~mask(prefixLength)) != 0) {
            throw new IllegalArgumentException("'" + network + "/" + prefixLength
                    + "' has host bits set; the network is "
                    + new Ipv4Address(network.bits() & mask(prefixLength)) + "/" + prefixLength);
        }
    }

    /**
     * Parses CIDR notation.
     *
     * @throws IllegalArgumentException saying what is wrong with the text
     */
    public static Ipv4Subnet parse(String text) {
        int slash = text == null ? -1 : text.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("'" + text + "' is not a subnet (write it like 192.168.1.0/24)");
        }
        int prefix;
        try {
            prefix = Integer.parseInt(text.substring(slash + 1).strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is not a subnet (write it like 192.168.1.0/24)");
        }
        return new Ipv4Subnet(Ipv4Address.parse(text.substring(0, slash)), prefix);
    }

    /** How many host numbers the subnet has (network and broadcast excluded). */
    public int hostCount() {
        return (1 << (32 - prefixLength)) - 2;
    }

    /**
     * The address with host number {@code n} (1 .. hostCount()).
     *
     * @throws IllegalArgumentException when {@code n} does not fit
     */
    public Ipv4Address host(int n) {
        if (n < 1 || n > hostCount()) {
            throw new IllegalArgumentException(
                    "host number " + n + " does not fit in " + this + " (1.." + hostCount() + ")");
        }
        return network.plus(n);
    }

    /** The highest usable address (the host side of a bridge: {@code .254} in a /24). */
    public Ipv4Address lastHost() {
        return host(hostCount());
    }

    public boolean contains(Ipv4Address address) {
        return (address.bits() & mask(prefixLength)) == network.bits();
    }

    public boolean overlaps(Ipv4Subnet other) {
        int shorter = Math.min(prefixLength, other.prefixLength);
        return (network.bits() & mask(shorter)) == (other.network.bits() & mask(shorter));
    }

    private static int mask(int prefix) {
        return prefix == 0 ? 0 : -1 << (32 - prefix);
    }

    @Override
    public String toString() {
        return network + "/" + prefixLength;
    }
}
