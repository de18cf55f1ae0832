package io.ferrolb.controller;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code java -jar ferrolb-controller.jar --namespace metallb-system [--kubeconfig ...] [flags]}. */
public final class ControllerMain {

    private static final Logger LOG = LoggerFactory.getLogger(ControllerMain.class);

    private ControllerMain() {
    }

    public static void main(String[] args) throws Exception {
        ControllerOptions options;
        try {
            options = ControllerOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("ferrolb-controller: " + e.getMessage());
            System.exit(2);
            return;
        }
        LOG.info("ferrolb controller starting namespace={} lbClass={} webhookMode={}", options.namespace(),
                options.loadBalancerClass().isEmpty() ? "(none)" : options.loadBalancerClass(), options.webhookMode());
        Controller controller = Controller.start(options);
        Runtime.getRuntime().addShutdownHook(new Thread(controller::close, "shutdown"));
        controller.awaitStop();
    }
}
