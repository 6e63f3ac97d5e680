package io.streamingpipeline.deploy.compose;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * compose/compose.yaml against the Compose Specification's JSON schema (draft-07), vendored as
 * {@code src/test/resources/compose/compose-spec.json} (see {@code compose-spec.SOURCE.md} there). YAML anchors and
 * merge keys are resolved first (SnakeYAML), as Compose does; the schema validates the file before interpolation,
 * as Compose does too.
 */
class ComposeSchemaTest {

    private static Schema schema;

    @BeforeAll
    static void loadSchema() {
        SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7);
        schema = registry.getSchema(SchemaLocation.of("classpath:compose/compose-spec.json"));
    }

    private static List<String> errors(String yaml) throws Exception {
        String json = new ObjectMapper().writeValueAsString(ComposeFile.parse(yaml));
        return schema.validate(json, InputFormat.JSON).stream()
                .map(Object::toString)
                .toList();
    }

    @Test
    void composeFileFollowsTheComposeSpecification() throws Exception {
        assertThat(errors(Repo.read("compose/compose.yaml"))).isEmpty();
    }

    @Test
    void composeFileHasNoVersionKey() {
        assertThat(ComposeFile.parse(Repo.read("compose/compose.yaml"))).doesNotContainKey("version");
    }

    /** The schema is strict enough to matter: a misspelt key, a wrong type and an unknown condition are caught. */
    @Test
    void schemaRejectsMistakes() throws Exception {
        assertThat(errors("""
                services:
                  a:
                    image: busybox:1.36
                    healthcheck:
                      intervall: 5s
                """)).isNotEmpty();
        assertThat(errors("""
                services:
                  a:
                    image: busybox:1.36
                    ports: 8080
                """)).isNotEmpty();
        assertThat(errors("""
                services:
                  a:
                    image: busybox:1.36
                    depends_on:
                      b:
                        condition: service_ready
                  b:
                    image: busybox:1.36
                """)).isNotEmpty();
        assertThat(errors("""
                services:
                  a:
                    image: busybox:1.36
                """)).isEmpty();
    }
}
