package io.ferrolb.testkit;

import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Starts a fresh {@link ControlPlane} before the tests of a class and stops it after them.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final ControlPlaneExtension apiServer = new ControlPlaneExtension();
 * }</pre>
 */
public final class ControlPlaneExtension implements BeforeAllCallback, AfterAllCallback {

    private final ControlPlane.Options options;
    private ControlPlane controlPlane;

    public ControlPlaneExtension() {
        this(ControlPlane.Options.defaults());
    }

    public ControlPlaneExtension(ControlPlane.Options options) {
        this.options = options;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        controlPlane = ControlPlane.start(options);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (controlPlane != null) {
            controlPlane.close();
            controlPlane = null;
        }
    }

    public ControlPlane controlPlane() {
        if (controlPlane == null) {
            throw new IllegalStateException("the control plane starts in beforeAll; register the extension statically");
        }
        return controlPlane;
    }

    public KubernetesClient client() {
        return controlPlane().client();
    }

    public CommandResult kubectl(String... args) {
        return controlPlane().kubectl(args);
    }

    public CommandResult kubectlWithInput(String stdin, String... args) {
        return controlPlane().kubectlWithInput(stdin, args);
    }
}
