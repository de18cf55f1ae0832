package io.ferrolb.speaker.wire.pcap;

import io.ferrolb.testkit.CommandResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A switch and hosts made of network namespaces for the wire's tests: namespace {@code flb-wl}
 * holds bridge {@code flb-wbr}; every host is a namespace with an {@code eth0} veth whose peer is
 * a bridge port. Addresses are in 198.18.10.0/24 and fd00:10::/64 and exist only inside these
 * namespaces; the root namespace's links, routes and firewall are never touched (every command
 * runs inside a namespace). {@link #close()} kills every process started here by PID and deletes
 * the namespaces; a shutdown hook does the same if the JVM dies first.
 */
final class WireLab implements AutoCloseable {

    static final String LAN = "flb-wl";
    static final String PREFIX4 = "198.18.10.";
    static final String PREFIX6 = "fd00:10::";

    /** One host: its namespace, addresses and MAC. */
    record Host(String ns, String ip, String ip6, String mac) {
    }

    private final List<String> namespaces = new ArrayList<>();
    private final List<Process> processes = new ArrayList<>();
    private final Map<String, Host> hosts = new LinkedHashMap<>();
    private final Thread hook = new Thread(this::cleanUp, "wire-lab-cleanup");
    private boolean closed;

    WireLab() {
        Runtime.getRuntime().addShutdownHook(hook);
        deleteIfPresent(LAN);
        namespace(LAN);
        mustRun(LAN, "ip", "link", "add", "flb-wbr", "type", "bridge", "stp_state", "0", "forward_delay", "0");
        mustRun(LAN, "ip", "link", "set", "flb-wbr", "up");
    }

    /** True if this process may build namespaces: root, with iproute2. */
    static boolean usable() {
        return "root".equals(System.getProperty("user.name")) && onPath("ip");
    }

    static boolean onPath(String tool) {
        return Arrays.stream(System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin").split(":"))
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, tool)))
                || Files.isExecutable(Path.of("/usr/sbin", tool)) || Files.isExecutable(Path.of("/sbin", tool));
    }

    /** A host {@code flb-w<name>} with address {@code .<octet>} and MAC {@code 02:f1:00:00:00:<octet hex>}. */
    synchronized Host host(String name, int octet) {
        String ns = "flb-w" + name;
        String mac = String.format("02:f1:00:00:%02x:%02x", octet >> 8, octet & 0xFF);
        deleteIfPresent(ns);
        namespace(ns);
        mustRun(ns, "ip", "link", "add", "eth0", "address", mac, "type", "veth", "peer", "name", "v-" + name,
                "netns", LAN);
        mustRun(LAN, "ip", "link", "set", "v-" + name, "master", "flb-wbr", "up");
        mustRun(ns, "ip", "addr", "add", PREFIX4 + octet + "/24", "dev", "eth0");
        mustRun(ns, "ip", "addr", "add", PREFIX6 + Integer.toHexString(octet) + "/64", "dev", "eth0", "nodad");
        mustRun(ns, "ip", "link", "set", "eth0", "up");
        mustRun(ns, "ip", "link", "set", "lo", "up");
        Host host = new Host(ns, PREFIX4 + octet, PREFIX6 + Integer.toHexString(octet), mac);
        hosts.put(name, host);
        return host;
    }

    /** Runs a command inside a namespace and waits for it (at most a minute). */
    CommandResult run(String ns, String... command) {
        List<String> argv = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        argv.addAll(List.of(command));
        try {
            Process p = new ProcessBuilder(argv).start();
            CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
            CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
            p.waitFor();
            return new CommandResult(p.exitValue(), out.join(), err.join());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    String mustRun(String ns, String... command) {
        CommandResult r = run(ns, command);
        if (!r.succeeded()) {
            throw new IllegalStateException("in " + ns + ": " + String.join(" ", command) + " -> " + r.exitCode()
                    + "\n" + r.stdout() + r.stderr());
        }
        return r.stdout();
    }

    /** Starts a long-running command in a namespace; it is killed by PID on close. */
    synchronized Process spawn(String ns, Path log, String... command) {
        List<String> argv = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        argv.addAll(List.of(command));
        try {
            ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true);
            if (log != null) {
                Files.createDirectories(log.getParent());
                pb.redirectOutput(log.toFile());
            }
            Process p = pb.start();
            processes.add(p);
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Tracks a process started elsewhere so that close() kills it. */
    synchronized <P extends Process> P track(P process) {
        processes.add(process);
        return process;
    }

    @Override
    public synchronized void close() {
        cleanUp();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // already shutting down: the hook is running this
        }
    }

    private synchronized void cleanUp() {
        if (closed) {
            return;
        }
        closed = true;
        for (Process p : processes) {
            p.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            try {
                p.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (int i = namespaces.size() - 1; i >= 0; i--) {
            exec("ip", "netns", "del", namespaces.get(i));
        }
    }

    private void namespace(String ns) {
        namespaces.add(ns);
        CommandResult r = exec("ip", "netns", "add", ns);
        if (!r.succeeded()) {
            throw new IllegalStateException("ip netns add " + ns + ": " + r.stderr());
        }
    }

    /** Removes a namespace of ours left by a run that was killed before its cleanup. */
    private static void deleteIfPresent(String ns) {
        if (Files.exists(Path.of("/run/netns", ns))) {
            exec("ip", "netns", "del", ns);
        }
    }

    private static CommandResult exec(String... argv) {
        try {
            Process p = new ProcessBuilder(argv).start();
            String out = read(p.getInputStream());
            String err = read(p.getErrorStream());
            return new CommandResult(p.waitFor(), out, err);
        } catch (IOException e) {
            return new CommandResult(127, "", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new CommandResult(130, "", "interrupted");
        }
    }

    private static String read(java.io.InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
