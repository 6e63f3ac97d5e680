package io.streamingpipeline.deploy.compose;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** How compose.yaml tags the images this repository builds: one variable, PIPELINE_IMAGE_TAG, with a default. */
public final class ComposeImageTags {

    public static final String VARIABLE = "PIPELINE_IMAGE_TAG";
    private static final Pattern BUILT_IMAGE =
            Pattern.compile("finnhub-pipeline/([a-z0-9-]+):\\$\\{" + VARIABLE + ":-([A-Za-z0-9._-]+)}");

    private ComposeImageTags() {}

    /**
     * Image (e.g. {@code finnhub-pipeline/ingestor}) -> the default of its tag variable, for each image of this
     * repository in compose.yaml as written (before interpolation). Fails on one tagged any other way.
     */
    public static Map<String, String> defaults() {
        Map<String, String> defaults = new LinkedHashMap<>();
        Map<String, Object> raw = ComposeFile.parse(Repo.read(ExampleEnv.COMPOSE));
        ComposeFile.castMap(raw.get("services")).forEach((name, value) -> {
            String image = String.valueOf(ComposeFile.castMap(value).get("image"));
            if (image.startsWith("finnhub-pipeline/")) {
                Matcher m = BUILT_IMAGE.matcher(image);
                assertThat(m.matches())
                        .as("%s: image %s is tagged ${%s:-<project version>}", name, image, VARIABLE)
                        .isTrue();
                defaults.put("finnhub-pipeline/" + m.group(1), m.group(2));
            }
        });
        return defaults;
    }
}
