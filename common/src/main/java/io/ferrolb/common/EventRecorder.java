package io.ferrolb.common;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records core/v1 Events on objects, off the caller's thread, the way client-go's recorder does:
 * a repeat of the same event (object, type, reason, message) within ten minutes raises the count
 * of the existing Event instead of creating another ({@code (x12 over 3d)} in kubectl).
 * Recording never blocks or fails the caller; a full queue drops the event with a log line.
 */
public final class EventRecorder implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EventRecorder.class);
    private static final Duration AGGREGATION_WINDOW = Duration.ofMinutes(10);
    private static final int QUEUE = 10_000;
    private static final int REMEMBERED = 4096;

    private record Key(String namespace, String uid, String type, String reason, String message) {
    }

    private record Recorded(String name, int count, Instant first) {
    }

    private final KubernetesClient client;
    private final String component;
    private final Clock clock;
    private final ThreadPoolExecutor executor;
    private final Map<Key, Recorded> recent = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, Recorded> eldest) {
            return size() > REMEMBERED;
        }
    };

    public EventRecorder(KubernetesClient client, String component) {
        this(client, component, Clock.systemUTC());
    }

    EventRecorder(KubernetesClient client, String component, Clock clock) {
        this.client = client;
        this.component = component;
        this.clock = clock;
        this.executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(QUEUE),
                Daemons.named("events-" + component), (task, pool) -> LOG.warn("event dropped: queue full component={}", component));
    }

    /** Normal or Warning event on the object. */
    public void record(HasMetadata object, String type, String reason, String message) {
        ObjectReference ref = new ObjectReferenceBuilder()
                .withApiVersion(object.getApiVersion())
                .withKind(object.getKind())
                .withNamespace(object.getMetadata().getNamespace())
                .withName(object.getMetadata().getName())
                .withUid(object.getMetadata().getUid())
                .withResourceVersion(object.getMetadata().getResourceVersion())
                .build();
        executor.execute(() -> write(ref, type, reason, message));
    }

    private void write(ObjectReference ref, String type, String reason, String message) {
        String namespace = ref.getNamespace() == null ? "default" : ref.getNamespace();
        Key key = new Key(namespace, ref.getUid(), type, reason, message);
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        Recorded previous = recent.get(key);
        try {
            if (previous != null && Duration.between(previous.first(), now).compareTo(AGGREGATION_WINDOW) < 0) {
                int count = previous.count() + 1;
                // A patch, as client-go's recorder does: RBAC grants events create and patch only.
                // Patched through a local item: by name alone fabric8 would GET the Event first.
                Event target = new EventBuilder().withNewMetadata().withNamespace(namespace)
                        .withName(previous.name()).endMetadata().build();
                client.v1().events().inNamespace(namespace).resource(target)
                        .patch(PatchContext.of(PatchType.JSON_MERGE),
                                "{\"count\":" + count + ",\"lastTimestamp\":\"" + format(now) + "\"}");
                recent.put(key, new Recorded(previous.name(), count, previous.first()));
                return;
            }
            String name = ref.getName() + "." + Long.toHexString(System.nanoTime());
            Event event = new EventBuilder()
                    .withNewMetadata().withNamespace(namespace).withName(name).endMetadata()
                    .withInvolvedObject(ref)
                    .withType(type)
                    .withReason(reason)
                    .withMessage(message)
                    .withNewSource().withComponent(component).endSource()
                    .withReportingComponent(component)
                    .withFirstTimestamp(format(now))
                    .withLastTimestamp(format(now))
                    .withCount(1)
                    .build();
            client.v1().events().inNamespace(namespace).resource(event).create();
            recent.put(key, new Recorded(name, 1, now));
        } catch (KubernetesClientException e) {
            // The aggregated Event may have expired; the next repeat creates a new one.
            recent.remove(key);
            LOG.warn("cannot record event object={}/{} reason={} error={}", namespace, ref.getName(), reason,
                    ApiErrors.describe(e));
        }
    }

    private static String format(Instant instant) {
        return DateTimeFormatter.ISO_INSTANT.format(instant);
    }

    @Override
    public void close() {
        executor.shutdown();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
