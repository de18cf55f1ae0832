package io.ferrolb.speaker.handoff;

/** A Service port and the NodePort its traffic is handed to. */
public record PortMapping(String protocol, int port, int nodePort) {
}
