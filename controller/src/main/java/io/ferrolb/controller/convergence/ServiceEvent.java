package io.ferrolb.controller.convergence;

/** An event to record on the Service, with MetalLB's reason and message. */
public record ServiceEvent(Type type, String reason, String message) {

    /** Kubernetes event types. */
    public enum Type { Normal, Warning }

    static ServiceEvent normal(String reason, String message) {
        return new ServiceEvent(Type.Normal, reason, message);
    }

    static ServiceEvent warning(String reason, String message) {
        return new ServiceEvent(Type.Warning, reason, message);
    }
}
