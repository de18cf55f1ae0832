package io.ferrolb.controller.allocator;

import io.ferrolb.net.IpFamily;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A ServiceInfo builder for tests: {@code Svc.of("ns/a").tcp(80).shared("k").info()}. */
final class Svc {

    private final String key;
    private Map<String, String> labels = Map.of();
    private final List<Port> ports = new ArrayList<>();
    private String sharing = "";
    private String backend = "";
    private FamilyPolicy policy = FamilyPolicy.SINGLE_STACK;
    private IpFamily primary = IpFamily.IPV4;

    private Svc(String key) {
        this.key = key;
    }

    static Svc of(String key) {
        return new Svc(key);
    }

    Svc tcp(int port) {
        ports.add(new Port("TCP", port));
        return this;
    }

    Svc udp(int port) {
        ports.add(new Port("UDP", port));
        return this;
    }

    Svc shared(String key) {
        sharing = key;
        return this;
    }

    Svc local(String selector) {
        backend = selector;
        return this;
    }

    Svc labels(Map<String, String> labels) {
        this.labels = labels;
        return this;
    }

    Svc policy(FamilyPolicy policy, IpFamily primary) {
        this.policy = policy;
        this.primary = primary;
        return this;
    }

    ServiceInfo info() {
        return new ServiceInfo(key, key.substring(0, key.indexOf('/')), labels, ports, sharing, backend, policy,
                primary);
    }
}
