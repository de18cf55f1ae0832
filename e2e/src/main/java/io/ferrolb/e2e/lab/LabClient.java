package io.ferrolb.e2e.lab;

import io.ferrolb.testkit.ArpingOutput;
import io.ferrolb.testkit.CommandResult;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The client machine ({@code flb-client}, "mypc"): arping, curl and the prober, as a user runs them. */
public final class LabClient {

    private static final Pattern REPLY_MAC = Pattern.compile("from ([0-9a-f]{2}(?::[0-9a-f]{2}){5})");

    private final Path dir;
    private final PidFile pids;

    public LabClient(Path dir, PidFile pids) {
        this.dir = dir;
        this.pids = pids;
    }

    /** {@code arping -c 1} for the address; the full output, for the walkthrough. */
    public CommandResult arpingRaw(String ip) {
        return Sh.in(Topology.CLIENT, "arping", "-c", "1", "-w", "1", "-i", "eth0", ip);
    }

    /** The MACs that answered one ARP request for the address (one entry per reply). */
    public List<String> arping(String ip) {
        List<String> macs = new ArrayList<>();
        Matcher m = REPLY_MAC.matcher(arpingRaw(ip).stdout());
        while (m.find()) {
            macs.add(m.group(1));
        }
        return macs;
    }

    /**
     * Round-trip times of {@code count} ARP requests for the address, 10 ms apart, in microseconds
     * ({@code arping -c count -W 0.01}); requests that got no reply are missing from the list.
     */
    public List<Double> arpingRttMicros(String ip, int count) {
        return ArpingOutput.rttMicros(Sh.in(Topology.CLIENT, "arping", "-c", String.valueOf(count), "-W", "0.01",
                "-w", "10", "-i", "eth0", ip).stdout());
    }

    /** {@code curl http://ip:port/}: the webpod's answer (its node name), or empty on failure. */
    public Optional<String> curl(String ip, int port) {
        CommandResult r = Sh.in(Topology.CLIENT, "curl", "-sS", "--max-time", "2", "http://" + ip + ":" + port + "/");
        return r.succeeded() ? Optional.of(r.stdout().strip()) : Optional.empty();
    }

    /** The client's neighbour entry for the address ({@code ip neigh}), for the walkthrough. */
    public String neighbour(String ip) {
        return Sh.in(Topology.CLIENT, "ip", "neigh", "show", ip).stdout().strip();
    }

    private Path fresh(String name) {
        Path log = dir.resolve(name + ".log");
        try {
            java.nio.file.Files.deleteIfExists(log);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return log;
    }

    /** Starts the prober making a new connection to ip:port every {@code intervalMs}. */
    public ProberRun probeNew(String name, String ip, int port, int intervalMs, int timeoutMs) {
        Path log = fresh(name);
        LabProcess p = LabProcess.start(name, Topology.CLIENT, LabProcess.javaMain(Prober.class.getName(), "new", ip,
                String.valueOf(port), String.valueOf(intervalMs), String.valueOf(timeoutMs)), log, pids);
        return new ProberRun(p, log);
    }

    /** Starts the prober holding {@code connections} keep-alive connections to ip:port. */
    public ProberRun probeHeld(String name, String ip, int port, int connections, int intervalMs, int timeoutMs) {
        Path log = fresh(name);
        LabProcess p = LabProcess.start(name, Topology.CLIENT, LabProcess.javaMain(Prober.class.getName(), "held", ip,
                String.valueOf(port), String.valueOf(connections), String.valueOf(intervalMs),
                String.valueOf(timeoutMs)), log, pids);
        return new ProberRun(p, log);
    }
}
