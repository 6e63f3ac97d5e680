package io.streamingpipeline.deploy.docker;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamingpipeline.deploy.compose.ExternalTool;
import io.streamingpipeline.deploy.compose.Repo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * Each Dockerfile through npm's dockerfile-utils 0.16.3 linter (unknown instructions, bad flags, malformed
 * arguments...): no error and no warning. Under CI (CI=true) a missing linter fails; elsewhere it skips.
 */
class DockerfileLintTest {

    static final String INSTALL = "npm install -g dockerfile-utils@0.16.3";
    static final List<String> DOCKERFILES = DockerfileRulesTest.DOCKERFILES;

    private static ExternalTool lint;

    @BeforeAll
    static void findLinter() {
        lint = ExternalTool.require("dockerfile-utils", INSTALL);
    }

    @ParameterizedTest
    @FieldSource("DOCKERFILES")
    void lintsClean(String name) {
        ExternalTool.Result result = lint.run(Repo.root(), Map.of(), "lint", DockerfileRulesTest.DIR + name);
        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).as(name).doesNotContain("Error:").doesNotContain("Warning:");
    }

    /** The linter really reads the files: a bad instruction is reported. */
    @Test
    void linterReportsProblems(@TempDir Path tmp) throws Exception {
        Path bad = tmp.resolve("Dockerfile.bad");
        Files.writeString(bad, "FROM eclipse-temurin:17-jre\nEXPOSE 8080/xyz\nCOPPY a b\n");
        ExternalTool.Result result = lint.run(Repo.root(), Map.of(), "lint", bad.toString());
        assertThat(result.exitCode()).isNotZero();
        assertThat(result.output()).contains("Error:");
    }
}
