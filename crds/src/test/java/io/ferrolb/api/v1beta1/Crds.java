package io.ferrolb.api.v1beta1;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferrolb.testkit.ControlPlane;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Installs CRD manifests with the real kubectl and waits until the API server serves them. */
final class Crds {

    static final String NAMESPACE = "metallb-system";

    private Crds() {
    }

    /** Our committed CRDs. */
    static void installOurs(ControlPlane plane) {
        install(plane, GeneratedCrds.MANIFESTS.toAbsolutePath());
    }

    static void install(ControlPlane plane, Path fileOrDirectory) {
        install(plane, List.of(fileOrDirectory));
    }

    static void install(ControlPlane plane, List<Path> filesOrDirectories) {
        List<String> args = new ArrayList<>(List.of("apply", "--server-side"));
        for (Path f : filesOrDirectories) {
            args.add("-f");
            args.add(f.toString());
        }
        plane.kubectl(args.toArray(String[]::new)).requireSuccess();
        for (String plural : GeneratedCrds.PLURALS) {
            plane.kubectl("wait", "--for=condition=Established", "--timeout=60s",
                    "crd/" + plural + "." + MetalLb.GROUP).requireSuccess();
        }
        if (!plane.kubectl("get", "namespace", NAMESPACE).succeeded()) {
            plane.kubectl("create", "namespace", NAMESPACE).requireSuccess();
        }
        assertThat(plane.kubectl("api-resources", "--api-group=" + MetalLb.GROUP, "-o", "name").requireSuccess())
                .contains("ipaddresspools.metallb.io", "l2advertisements.metallb.io", "servicel2statuses.metallb.io");
    }
}
