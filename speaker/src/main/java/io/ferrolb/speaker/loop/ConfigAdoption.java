package io.ferrolb.speaker.loop;

import io.ferrolb.config.Config;
import io.ferrolb.config.ConfigException;
import io.ferrolb.net.IpAddress;
import io.ferrolb.speaker.plan.ServiceKey;
import io.ferrolb.speaker.plan.StaleConfigGuard;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The configuration the loop plans with: the pools and L2Advertisements parsed at each iteration,
 * adopted only when they parse and keep a pool for every address this node announces; otherwise
 * the last good one stays, with one warning per problem and the stale metric set.
 */
final class ConfigAdoption {

    /** The loop's logger: operators look for these lines under the loop's name. */
    private static final Logger LOG = LoggerFactory.getLogger(SpeakerLoop.class);

    private final SpeakerMetrics metrics;
    private Config config;
    private String lastProblem;

    ConfigAdoption(SpeakerMetrics metrics) {
        this.metrics = metrics;
    }

    /**
     * Parses the inputs' configuration and adopts it if it may be; the configuration in force after
     * that, null while none was ever good.
     *
     * @param announced what this node announces now; read only when the configuration changed
     */
    Config adopt(LoopInputs inputs, Supplier<Map<ServiceKey, List<IpAddress>>> announced) {
        Config parsed;
        try {
            parsed = Config.from(inputs.pools(), inputs.advertisements());
        } catch (ConfigException e) {
            metrics.configStale();
            complainOnce("failed to parse the configuration, keeping the last good one kind=" + e.kind()
                    + " name=" + e.objectName() + " field=" + e.field() + " error=" + e.getMessage());
            return config;
        }
        if (parsed.equals(config)) {
            return config;
        }
        StaleConfigGuard.Verdict verdict = StaleConfigGuard.check(announced.get(), parsed);
        if (verdict instanceof StaleConfigGuard.KeepOld keep) {
            metrics.configStale();
            complainOnce("new configuration not applied: it has no pool for addresses this node announces "
                    + keep.orphans());
            return config;
        }
        config = parsed;
        lastProblem = null;
        metrics.configLoaded();
        LOG.info("config loaded pools={}", parsed.pools().size());
        return config;
    }

    private void complainOnce(String problem) {
        if (!problem.equals(lastProblem)) {
            LOG.warn(problem);
            lastProblem = problem;
        }
    }
}
