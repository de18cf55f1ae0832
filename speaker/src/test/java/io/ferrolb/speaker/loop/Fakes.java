package io.ferrolb.speaker.loop;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.ferrolb.api.v1beta1.IPAddressPool;
import io.ferrolb.api.v1beta1.L2Advertisement;
import io.ferrolb.net.IpAddress;
import io.ferrolb.speaker.handoff.Handoff;
import io.ferrolb.speaker.handoff.HandoffException;
import io.ferrolb.speaker.handoff.PortMapping;
import io.ferrolb.speaker.plan.Interfaces;
import io.ferrolb.speaker.plan.LiveSpeakers;
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
        volatile LiveSpeakers liveSpeakers = LiveSpeakers.everyNode();
        /** When set, the view becomes this right after the next read: it changes while the loop plans. */
        volatile LiveSpeakers changesTo;
        volatile boolean joined = true;
        /** The nodes gone for certain (left, or seen crashing): what may be claimed ahead. */
        volatile Set<String> departed = Set.of();
        volatile Map<ServiceKey, Set<String>> announcers = Map.of();
        /** When set, services() stops there until it is counted down (interrupts do not end the wait). */
        volatile java.util.concurrent.CountDownLatch holdServices;
        /** Counted down by the thread that reached a held services() call; {@link #heldThread} is that thread. */
        final java.util.concurrent.CountDownLatch servicesHeld = new java.util.concurrent.CountDownLatch(1);
        volatile Thread heldThread;

        @Override
        public List<Service> services() {
            java.util.concurrent.CountDownLatch hold = holdServices;
            if (hold != null) {
                heldThread = Thread.currentThread();
                servicesHeld.countDown();
                boolean interrupted = false;
                while (hold.getCount() > 0) {
                    try {
                        hold.await();
                    } catch (InterruptedException e) {
                        interrupted = true;
                    }
                }
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
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
        public LiveSpeakers liveSpeakers() {
            LiveSpeakers now = liveSpeakers;
            if (changesTo != null) {
                liveSpeakers = changesTo;
                changesTo = null;
            }
            return now;
        }

        @Override
        public Set<String> departed() {
            return departed;
        }

        @Override
        public boolean joined() {
            return joined;
        }

        @Override
        public Map<ServiceKey, Set<String>> announcers() {
            return announcers;
        }
    }

    /** Records every wire operation as a line. */
    static final class RecordingWire implements Wire {
        final List<String> log = new CopyOnWriteArrayList<>();
        volatile Set<String> interfaces = Set.of("eth0", "eth1");
        /** What {@link #expect} was last told. */
        volatile List<Set<IpAddress>> expected = List.of();

        @Override
        public void announce(String service, IpAddress ip, Interfaces on, boolean takeover) {
            log.add("announce " + service + " " + ip + " " + on + (takeover ? " takeover" : ""));
        }

        @Override
        public void announceAll(List<Claim> claims) {
            claims.forEach(c -> log.add("announce " + c.service() + " " + c.ip() + " " + c.interfaces()
                    + (c.awaitRelease() ? " handover" : c.takeover() ? " takeover" : "")));
        }

        @Override
        public void withdraw(String service, IpAddress ip) {
            log.add("withdraw " + service + " " + ip);
        }

        @Override
        public void expect(List<Set<IpAddress>> batches) {
            expected = batches;
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
        /** When set, every call fails with it, as a broken iptables makes the real handoffs do. */
        volatile String failure;

        @Override
        public void install(String service, List<IpAddress> ips, List<PortMapping> ports) {
            log.add("install " + service + " " + ips + " " + ports);
            failIfBroken();
        }

        @Override
        public void remove(String service) {
            log.add("remove " + service);
            failIfBroken();
        }

        @Override
        public void reconcile() {
            failIfBroken();
        }

        private void failIfBroken() {
            if (failure != null) {
                throw new HandoffException(failure);
            }
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
        public void notAnnounced(Service service, String message) {
            log.add("Warning notAnnounced " + service.getMetadata().getName() + ": " + message);
        }

        @Override
        public void handoffFailed(Service service, String message) {
            log.add("Warning handoffFailed " + service.getMetadata().getName() + ": " + message);
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
