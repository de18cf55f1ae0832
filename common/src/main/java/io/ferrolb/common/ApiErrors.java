package io.ferrolb.common;

import io.fabric8.kubernetes.client.KubernetesClientException;

/** One-line descriptions of API errors for log lines. */
public final class ApiErrors {

    private ApiErrors() {
    }

    /** {@code 409 Conflict: the object has been modified...}, or the exception text. */
    public static String describe(RuntimeException e) {
        if (e instanceof KubernetesClientException k && k.getStatus() != null) {
            return k.getCode() + " " + k.getStatus().getReason() + ": " + k.getStatus().getMessage();
        }
        return e.toString();
    }
}
