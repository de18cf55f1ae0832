package io.ferrolb.speaker.membership;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

/**
 * Member processes on 127.0.0.x sharing one port, one secret and one peer list; every process it
 * started is killed by PID on {@link #close()} and, should the test JVM die first, by a shutdown hook.
 */
final class MemberGroup implements AutoCloseable {

    private final Path dir;
    private final int port;
    private final String failureDetector;
    private final boolean crashWatch;
    private final Path secret;
    private final Map<String, String> hosts = new TreeMap<>();
    private final List<MemberProcess> started = new CopyOnWriteArrayList<>();
    private volatile List<String> launcher = List.of();
    private final Thread reaper = new Thread(this::killAll, "member-reaper");

    MemberGroup(Path dir, String failureDetector, Map<String, String> nameToHost) {
        this(dir, failureDetector, true, nameToHost);
    }

    MemberGroup(Path dir, String failureDetector, boolean crashWatch, Map<String, String> nameToHost) {
        this.dir = dir;
        this.failureDetector = failureDetector;
        this.crashWatch = crashWatch;
        this.hosts.putAll(nameToHost);
        this.port = freePort(nameToHost.values().iterator().next());
        this.secret = writeSecret(dir.resolve("secretkey"));
        Runtime.getRuntime().addShutdownHook(reaper);
    }

    /** Three members n1..n3 on 127.0.0.11..13. */
    static MemberGroup ofThree(Path dir, String failureDetector) {
        return ofThree(dir, failureDetector, true);
    }

    static MemberGroup ofThree(Path dir, String failureDetector, boolean crashWatch) {
        return new MemberGroup(dir, failureDetector, crashWatch,
                Map.of("n1", "127.0.0.11", "n2", "127.0.0.12", "n3", "127.0.0.13"));
    }

    /** Members started from now on run in network namespace {@code ns} (its {@code lo} must be up). */
    MemberGroup inNamespace(String ns) {
        launcher = List.of("ip", "netns", "exec", ns);
        return this;
    }

    int port() {
        return port;
    }

    Path dir() {
        return dir;
    }

    Set<String> names() {
        return hosts.keySet();
    }

    String peers() {
        return hosts.values().stream().map(h -> h + ":" + port).collect(Collectors.joining(","));
    }

    /** Starts member {@code name} with the group's peers, secret and failure detector, plus {@code extra} args. */
    MemberProcess start(String name, String... extra) {
        List<String> args = new ArrayList<>(List.of("host=" + hosts.get(name), "port=" + port,
                "secret=" + secret, "failureDetector=" + failureDetector, "crashWatch=" + crashWatch));
        if (List.of(extra).stream().noneMatch(a -> a.startsWith("peers"))) {
            args.add("peers=" + peers());
        }
        args.addAll(List.of(extra));
        MemberProcess process = MemberProcess.start(name, launcher, args, dir.resolve("logs"));
        started.add(process);
        return process;
    }

    /** Starts a process on {@code host} that is not one of the group (e.g. a rogue). */
    MemberProcess startOther(String name, String host, String... args) {
        MemberProcess process = MemberProcess.start(name, List.of(args), dir.resolve("logs"));
        started.add(process);
        return process;
    }

    @Override
    public void close() {
        killAll();
        try {
            Runtime.getRuntime().removeShutdownHook(reaper);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down: the hook is running or ran
        }
    }

    private void killAll() {
        for (MemberProcess process : started) {
            process.close();
        }
    }

    /** A port that is free on the first member's address (all members bind it on their own address). */
    static int freePort(String host) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getByName(host), 0));
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A Secret file as the controller writes it: 22 characters of unpadded base64 of 16 random bytes. */
    static Path writeSecret(Path file) {
        byte[] raw = new byte[16];
        new SecureRandom().nextBytes(raw);
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, Base64.getEncoder().withoutPadding().encodeToString(raw), StandardCharsets.US_ASCII);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
