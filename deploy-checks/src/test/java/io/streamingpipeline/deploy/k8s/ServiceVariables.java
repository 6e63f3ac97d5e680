package io.streamingpipeline.deploy.k8s;

import static io.streamingpipeline.deploy.k8s.Manifests.OVERLAYS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicContainer.dynamicContainer;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import io.streamingpipeline.deploy.code.QuarkusService;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;

/** The variables each overlay gives a Quarkus service's container, one test each: a misspelt one fails by name. */
final class ServiceVariables {

    private ServiceVariables() {}

    /** @param container the workload and container name; {@code what} names the service in the test names */
    static Stream<DynamicContainer> eachIsOneTheServiceReads(QuarkusService service, String container, String what) {
        Set<String> readable = service.envNames();
        return OVERLAYS.stream().map(overlay -> {
            Rendered r = Rendered.of(overlay);
            Map<String, String> env = r.env(r.workload(container).container(container));
            return dynamicContainer(
                    overlay,
                    env.keySet().stream()
                            .map(name -> dynamicTest(
                                    "k8s " + overlay + " sets " + name + " on " + what + ", which reads it",
                                    () -> assertThat(readable).contains(name))));
        });
    }
}
