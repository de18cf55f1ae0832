/**
 * Pure codecs for the frames the wire sends and answers: Ethernet II with padding to the 60-byte
 * minimum, ARP (RFC 826) and the two ICMPv6 Neighbor Discovery messages it needs (RFC 4861), with
 * the ICMPv6 checksum. Byte arrays in, records out; no capture library, no clock, no I/O.
 */
package io.ferrolb.speaker.wire.packet;
