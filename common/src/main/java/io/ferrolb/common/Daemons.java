package io.ferrolb.common;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;

/**
 * Named daemon threads: how every background executor of both binaries is made, so that a thread
 * dump names each thread's owner and no executor keeps the JVM from exiting.
 */
public final class Daemons {

    private Daemons() {
    }

    /** A factory of daemon threads all called {@code name}. */
    public static ThreadFactory named(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    /** One daemon thread called {@code name}, for tasks run now, later or periodically. */
    public static ScheduledExecutorService singleThread(String name) {
        return Executors.newSingleThreadScheduledExecutor(named(name));
    }
}
