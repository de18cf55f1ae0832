package io.ferrolb.speaker.loop;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.ferrolb.api.v1beta1.IPAddressPool;
import io.ferrolb.api.v1beta1.L2Advertisement;
import io.ferrolb.net.IpAddress;
import io.ferrolb.speaker.handoff.Handoff;
import io.ferrolb.speaker.handoff.PortMapping;
import io.ferrolb.speaker.plan.Interfaces;
import io.ferrolb.speaker.plan.Membership;
import io.ferrolb.speaker.plan.ServiceKey;
import io.ferrolb.speaker.status.StatusSink;
import io.ferrolb.speaker.wire.Wire;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** Recording fakes for the loop's seams, and mutable inputs. */
final class Fakes {

    private Fakes() {
    }

    /** Inputs a test changes between iterations. */
    static final class Inputs implements LoopInputs {
        volatile List<Service> services = List.of();
        volatile List<EndpointSlice> slices = List.of();
        volatile List<Node> nodes = List.of();
        volatile List<IPAddressPool> pools = List.of();
        volatile List<L2Advertisement> ads = List.of();
        volatile Membership membership = Membership.disabled();
        volatile boolean joined = true;

        @Override
        public List<Service> services() {
            return services;
        }

        @Override
        public List<EndpointSlice> endpointSlices() {
            return slices;
        }

        @Override
        public List<Node> nodes() {
            return nodes;
        }

        @Override
        public List<IPAddressPool> pools() {
            return pools;
        }

        @Override
        public List<L2Advertisement> advertisements() {
            return ads;
        }

        @Override
        public Membership membership() {
            return membership;
        }

        @Override
        public boolean joined() {
            return joined;
        }
    }

    /** Records every wire operation as a line. */
    static final class RecordingWire implements Wire {
        final List<String> log = new CopyOnWriteArrayList<>();
        volatile Set<String> interfaces = Set.of("eth0", "eth1");

        @Override
        public void announce(String service, IpAddress ip, Interfaces on) {
            log.add("announce " + service + " " + ip + " " + on);
        }

        @Override
        public void withdraw(String service, IpAddress ip) {
            log.add("withdraw " + service + " " + ip);
        }

        @Override
        public Set<String> interfaces() {
            return interfaces;
        }

        @Override
        public void close() {
            log.add("close");
        }
    }

    static final class RecordingHandoff implements Handoff {
        final List<String> log = new CopyOnWriteArrayList<>();

        @Override
        public void install(String service, List<IpAddress> ips, List<PortMapping> ports) {
            log.add("install " + service + " " + ips + " " + ports);
        }

        @Override
        public void remove(String service) {
            log.add("remove " + service);
        }

        @Override
        public void close() {
            log.add("close");
        }
    }

    static final class RecordingStatuses implements StatusSink {
        volatile Map<ServiceKey, List<String>> last = Map.of();

        @Override
        public void announced(Map<ServiceKey, List<String>> services) {
            last = new TreeMap<>(services);
        }
    }

    static final class RecordingEvents implements SpeakerEvents {
        final List<String> log = new CopyOnWriteArrayList<>();

        @Override
        public void nodeAssigned(Service service, String node) {
            log.add("Normal nodeAssigned " + service.getMetadata().getName() + ": announcing from node \"" + node
                    + "\" with protocol \"layer2\"");
        }

        @Override
        public void announceFailed(Service service, String message) {
            log.add("Warning announceFailed " + service.getMetadata().getName() + ": " + message);
        }

        @Override
        public void addressConflict(Service service, String message) {
            log.add("Warning addressConflict " + service.getMetadata().getName() + ": " + message);
        }

        List<String> snapshot() {
            return new ArrayList<>(log);
        }
    }
}
