package io.ferrolb.speaker;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code java -jar ferrolb-speaker.jar --node-name n1 --namespace metallb-system [...]}. */
public final class SpeakerMain {

    private static final Logger LOG = LoggerFactory.getLogger(SpeakerMain.class);

    private SpeakerMain() {
    }

    public static void main(String[] args) throws Exception {
        SpeakerOptions options;
        try {
            options = SpeakerOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("ferrolb-speaker: " + e.getMessage());
            System.exit(2);
            return;
        }
        LOG.info("ferrolb speaker starting node={} namespace={}", options.nodeName(), options.namespace());
        Speaker speaker = Speaker.start(options);
        Runtime.getRuntime().addShutdownHook(new Thread(speaker::close, "shutdown"));
        speaker.awaitStop();
    }
}
