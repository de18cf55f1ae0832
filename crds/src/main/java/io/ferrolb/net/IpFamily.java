package io.ferrolb.net;

/** The two IP families, with their address width. */
public enum IpFamily {
    IPV4(32),
    IPV6(128);

    private final int bits;

    IpFamily(int bits) {
        this.bits = bits;
    }

    /** The address width in bits: 32 or 128. */
    public int bits() {
        return bits;
    }

    /** The Kubernetes spelling ({@code IPv4}, {@code IPv6}), as in {@code spec.ipFamilies}. */
    public String kubernetesName() {
        return this == IPV4 ? "IPv4" : "IPv6";
    }
}
