package io.ferrolb.common;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.WatchEvent;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.Test;

class KubeClientsTest {

    private static final String SERVICE = """
            {"apiVersion":"v1","kind":"Service","metadata":{"name":"web","namespace":"default",
             "labels":{"app":"web"},"annotations":{"metallb.io/address-pool":"lab-pool"},
             "managedFields":[{"manager":"kubectl","operation":"Update","apiVersion":"v1",
               "fieldsType":"FieldsV1","fieldsV1":{"f:spec":{"f:type":{}}}}],
             "x-unknown":"kept"},
             "spec":{"type":"LoadBalancer","ports":[{"port":80,"nodePort":31080}]}}
            """;

    @Test
    void objectsAreReadWithoutManagedFieldsAndEverythingElseKept() {
        KubernetesSerialization json = KubeClients.serialization();
        Service svc = json.unmarshal(SERVICE, Service.class);
        assertThat(svc.getMetadata().getManagedFields()).isEmpty();
        assertThat(svc.getMetadata().getAdditionalProperties()).doesNotContainKey("managedFields")
                .containsEntry("x-unknown", "kept");
        assertThat(svc.getMetadata().getLabels()).containsEntry("app", "web");
        assertThat(svc.getMetadata().getAnnotations()).containsEntry("metallb.io/address-pool", "lab-pool");
        assertThat(svc.getSpec().getPorts().get(0).getNodePort()).isEqualTo(31080);
        assertThat(json.asJson(svc)).doesNotContain("managedFields").contains("\"nodePort\":31080");
    }

    /**
     * A watch that outlived the API server's history gets an ERROR event with a 410 Status; the
     * informer relists only if it reads that object as a Status. With the kinds not registered it
     * retried the expired version once a second, for good (ChaosIT: no allocation after an outage).
     */
    @Test
    void aWatchErrorIsReadAsAStatusSoThatAnExpiredWatchRelists() {
        String expired = """
                {"type":"ERROR","object":{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure",
                 "message":"too old resource version: 655 (784)","reason":"Expired","code":410}}
                """;
        WatchEvent event = KubeClients.serialization().unmarshal(expired, WatchEvent.class);
        Object object = event.getObject();
        assertThat(object).isInstanceOf(Status.class);
        assertThat(((Status) object).getCode()).isEqualTo(410);
    }

    @Test
    void kindsAreResolvedByApiVersionAndKind() {
        KubernetesResource svc = KubeClients.serialization().unmarshal(SERVICE, KubernetesResource.class);
        assertThat(svc).isInstanceOf(Service.class);
    }
}
