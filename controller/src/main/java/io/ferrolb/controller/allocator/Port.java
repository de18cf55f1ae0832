package io.ferrolb.controller.allocator;

/** One (protocol, port) a Service listens on; two Services sharing an IP may not both use one. */
public record Port(String protocol, int port) {

    /** {@code TCP/80}, as MetalLB prints it. */
    @Override
    public String toString() {
        return protocol + "/" + port;
    }
}
