package io.ferrolb.controller.allocator;

import io.ferrolb.net.Cidr;
import io.ferrolb.net.IpAddress;
import io.ferrolb.net.IpFamily;

/** IPv4 addresses ending in .0 or .255, which some consumer firmwares drop (avoidBuggyIPs). */
final class BuggyIps {

    private BuggyIps() {
    }

    static boolean confusesFirmware(IpAddress ip) {
        if (ip.family() != IpFamily.IPV4) {
            return false;
        }
        long last = ip.low() & 0xFF;
        return last == 0 || last == 255;
    }

    /** The addresses of a prefix a pool may hand out, saturating at Long.MAX_VALUE from 2^62 on. */
    static long usableCount(Cidr cidr, boolean avoidBuggyIPs) {
        if (cidr.hostBits() >= 62) {
            return Long.MAX_VALUE;
        }
        long size = 1L << cidr.hostBits();
        if (!avoidBuggyIPs || cidr.family() != IpFamily.IPV4) {
            return size;
        }
        if (cidr.prefixLength() <= 24) {
            // Every /24 inside holds one .0 and one .255.
            return size - 2 * (1L << (24 - cidr.prefixLength()));
        }
        long buggy = confusesFirmware(cidr.first()) ? 1 : 0;
        if (cidr.hostBits() > 0 && confusesFirmware(cidr.last())) {
            buggy++;
        }
        return size - buggy;
    }
}
