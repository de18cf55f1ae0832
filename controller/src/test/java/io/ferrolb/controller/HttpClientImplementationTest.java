package io.ferrolb.controller;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import io.javaoperatorsdk.operator.Operator;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

/**
 * JOSDK brings fabric8's default Vert.x HTTP client; the build keeps exactly one implementation,
 * the JDK's, so the client never picks one by classpath order.
 */
class HttpClientImplementationTest {

    @Test
    void theJdkClientIsTheOnlyHttpClientOnTheClasspath() {
        assertThat(ServiceLoader.load(HttpClient.Factory.class).stream().map(ServiceLoader.Provider::type).toList())
                .containsExactly(JdkHttpClientFactory.class);
    }

    @Test
    void josdkAndFabric8AreThePinnedVersions() {
        assertThat(Operator.class.getPackage().getImplementationVersion()).isIn("5.2.2", null);
        assertThat(io.fabric8.kubernetes.client.Version.clientVersion()).isEqualTo("7.4.0");
    }
}
