/**
 * IP addresses and prefixes as MetalLB's Go code sees them: parsing with Go's rules (no leading
 * zeros in IPv4 octets, no zones, IPv4-mapped IPv6 text is an IPv4 address), Go's canonical text
 * (IPv6 compressed per RFC 5952, lower case) and prefix arithmetic for both families. Pure: no
 * I/O, no name resolution, no Kubernetes types.
 */
package io.ferrolb.net;
