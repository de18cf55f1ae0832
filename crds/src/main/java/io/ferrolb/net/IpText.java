package io.ferrolb.net;

/**
 * Go's IP text rules, both ways: {@code netip.ParseAddr} without zones, and {@code net.IP.String}.
 * Parsing yields the 128-bit value plus whether the text was IPv6 notation; the caller decides
 * what an IPv4-mapped value means.
 */
final class IpText {

    /** A parsed literal: the value (IPv4 in the low 32 bits of {@code lo}) and its notation. */
    record Raw(long hi, long lo, boolean v6Notation) {
        boolean isV4Mapped() {
            return v6Notation && hi == 0 && (lo >>> 32) == 0xFFFFL;
        }
    }

    private IpText() {
    }

    /** Parses an IPv4 or IPv6 literal, or returns null. */
    static Raw parse(String s) {
        if (s.indexOf(':') >= 0) {
            return parseV6(s);
        }
        long v4 = parseV4(s, 0, s.length());
        return v4 < 0 ? null : new Raw(0, v4, false);
    }

    /** Four decimal octets, none with a leading zero (Go 1.17+); -1 when invalid. */
    static long parseV4(String s, int from, int to) {
        long value = 0;
        int i = from;
        for (int field = 0; field < 4; field++) {
            if (field > 0) {
                if (i >= to || s.charAt(i) != '.') {
                    return -1;
                }
                i++;
            }
            int start = i;
            int octet = 0;
            while (i < to && i - start < 4 && isDigit(s.charAt(i))) {
                octet = octet * 10 + (s.charAt(i) - '0');
                i++;
            }
            int digits = i - start;
            if (digits == 0 || digits > 3 || octet > 255 || (digits > 1 && s.charAt(start) == '0')) {
                return -1;
            }
            value = (value << 8) | octet;
        }
        return i == to ? value : -1;
    }

    private static Raw parseV6(String s) {
        int[] groups = new int[8];
        int n = 0;
        int ellipsis = -1;
        int i = 0;
        int len = s.length();
        if (s.startsWith("::")) {
            ellipsis = 0;
            i = 2;
        }
        while (i < len) {
            if (n == 8) {
                return null;
            }
            int start = i;
            int value = 0;
            while (i < len && i - start < 4 && hexDigit(s.charAt(i)) >= 0) {
                value = (value << 4) | hexDigit(s.charAt(i));
                i++;
            }
            if (i < len && s.charAt(i) == '.') {
                // An embedded IPv4 address ends the text and fills the last two groups.
                if (n > 6 || (ellipsis < 0 && n != 6)) {
                    return null;
                }
                long v4 = parseV4(s, start, len);
                if (v4 < 0) {
                    return null;
                }
                groups[n++] = (int) (v4 >>> 16);
                groups[n++] = (int) (v4 & 0xFFFF);
                i = len;
                break;
            }
            if (i == start || (i < len && hexDigit(s.charAt(i)) >= 0)) {
                return null;
            }
            groups[n++] = value;
            if (i == len) {
                break;
            }
            if (s.charAt(i) != ':') {
                return null;
            }
            i++;
            if (i < len && s.charAt(i) == ':') {
                if (ellipsis >= 0) {
                    return null;
                }
                ellipsis = n;
                i++;
            } else if (i == len) {
                return null;
            }
        }
        if (n < 8) {
            if (ellipsis < 0) {
                return null;
            }
            int shift = 8 - n;
            for (int j = n - 1; j >= ellipsis; j--) {
                groups[j + shift] = groups[j];
            }
            for (int j = ellipsis; j < ellipsis + shift; j++) {
                groups[j] = 0;
            }
        } else if (ellipsis >= 0) {
            return null;
        }
        long hi = 0;
        long lo = 0;
        for (int j = 0; j < 4; j++) {
            hi = (hi << 16) | groups[j];
            lo = (lo << 16) | groups[j + 4];
        }
        return new Raw(hi, lo, true);
    }

    static String formatV4(long value) {
        return ((value >>> 24) & 0xFF) + "." + ((value >>> 16) & 0xFF) + "." + ((value >>> 8) & 0xFF) + "."
                + (value & 0xFF);
    }

    /** RFC 5952: the first longest run of two or more zero groups becomes "::", hex in lower case. */
    static String formatV6(long hi, long lo) {
        int[] groups = new int[8];
        for (int j = 0; j < 4; j++) {
            groups[j] = (int) ((hi >>> (48 - 16 * j)) & 0xFFFF);
            groups[j + 4] = (int) ((lo >>> (48 - 16 * j)) & 0xFFFF);
        }
        int zeroStart = -1;
        int zeroEnd = -1;
        for (int i = 0; i < 8; i++) {
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i >= 2 && j - i > zeroEnd - zeroStart) {
                zeroStart = i;
                zeroEnd = j;
            }
        }
        StringBuilder out = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == zeroStart) {
                out.append("::");
                i = zeroEnd;
                if (i >= 8) {
                    break;
                }
            } else if (i > 0) {
                out.append(':');
            }
            out.append(Integer.toHexString(groups[i]));
        }
        return out.toString();
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static int hexDigit(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }
}
