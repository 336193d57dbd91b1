package io.goldcrest.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class JobSpecTest {
    @ParameterizedTest
    @ValueSource(strings = {"", "1X", "A-B", "A B", "A=B", "-x", "É", "X\n", "X\0", "$X", "X.Y"})
    void environmentNameThatIsNotAShellIdentifierIsRefusedNamingIt(String name) {
        assertThatThrownBy(() -> spec(Map.of(name, "v")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("env: '" + name + "' is not a valid variable name");
    }

    @Test
    void environmentValueWithNulIsRefusedNamingTheVariable() {
        assertThatThrownBy(() -> spec(Map.of("GC_X", "a\0b")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("env: the value of GC_X contains a NUL character");
    }

    @Test
    void environmentValuesMayHoldAnythingElseAndKeepTheirOrder() {
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("_", "");
        environment.put("Z9", "line\nnext, 'quoted' $(id) ;");
        environment.put("A", "x=y");
        environment.put("sbatch", "/bin/false");
        environment.put("PATH", "/nowhere");

        JobSpec spec = spec(environment);

        assertThat(spec.environment()).containsExactlyEntriesOf(environment);
        assertThat(spec.environment().keySet()).containsExactly("_", "Z9", "A", "sbatch", "PATH");
    }

    @Test
    void environmentIsACopyThatCannotChange() {
        Map<String, String> environment = new LinkedHashMap<>(Map.of("A", "1"));
        JobSpec spec = spec(environment);
        environment.put("B", "2");

        assertThat(spec.environment()).containsOnlyKeys("A");
        assertThatThrownBy(() -> spec.environment().put("C", "3")).isInstanceOf(UnsupportedOperationException.class);
    }

    static Stream<Arguments> textFields() {
        return Stream.of(
                Arguments.of("workingDirectory", (Function<String, JobSpec>) value -> new JobSpec(value, Optional.of("s"),
                        Optional.empty(), e(), e(), e(), e(), e(), e(), e(), e(), Map.of())),
                Arguments.of("scriptPath", (Function<String, JobSpec>) value -> new JobSpec("/w", Optional.empty(),
                        Optional.of(value), e(), e(), e(), e(), e(), e(), e(), e(), Map.of())),
                Arguments.of("name", (Function<String, JobSpec>) value -> new JobSpec("/w", Optional.of("s"), e(),
                        Optional.of(value), e(), e(), e(), e(), e(), e(), e(), Map.of())),
                Arguments.of("account", (Function<String, JobSpec>) value -> new JobSpec("/w", Optional.of("s"), e(), e(),
                        Optional.of(value), e(), e(), e(), e(), e(), e(), Map.of())),
                Arguments.of("partition", (Function<String, JobSpec>) value -> new JobSpec("/w", Optional.of("s"), e(), e(),
                        e(), Optional.of(value), e(), e(), e(), e(), e(), Map.of())),
                Arguments.of("reservation", (Function<String, JobSpec>) value -> new JobSpec("/w", Optional.of("s"), e(), e(),
                        e(), e(), Optional.of(value), e(), e(), e(), e(), Map.of())),
                Arguments.of("constraints", (Function<String, JobSpec>) value -> new JobSpec("/w", Optional.of("s"), e(), e(),
                        e(), e(), e(), Optional.of(value), e(), e(), e(), Map.of())),
                Arguments.of("standardInput", (Function<String, JobSpec>) value -> new JobSpec("/w", Optional.of("s"), e(),
                        e(), e(), e(), e(), e(), Optional.of(value), e(), e(), Map.of())),
                Arguments.of("standardOutput", (Function<String, JobSpec>) value -> new JobSpec("/w", Optional.of("s"), e(),
                        e(), e(), e(), e(), e(), e(), Optional.of(value), e(), Map.of())),
                Arguments.of("standardError", (Function<String, JobSpec>) value -> new JobSpec("/w", Optional.of("s"), e(),
                        e(), e(), e(), e(), e(), e(), e(), Optional.of(value), Map.of())));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("textFields")
    void optionValueWithNulOrNewlineIsRefusedNamingTheField(String field, Function<String, JobSpec> build) {
        for (String value : List.of("a\0b", "a\nb", "\n")) {
            assertThatThrownBy(() -> build.apply(value))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage(field + ": must not contain NUL or newline characters");
        }
        assertThat(build.apply("-x 'q' $(id); a,b")).isNotNull();
    }

    @Test
    void scriptMayHoldNewlines() {
        JobSpec spec = new JobSpec("/w", Optional.of("#!/bin/sh\necho 'a'\n"), e(), e(), e(), e(), e(), e(), e(), e(), e(),
                Map.of());

        assertThat(spec.script()).contains("#!/bin/sh\necho 'a'\n");
    }

    @Test
    void scriptOrScriptPathIsRequired() {
        assertThatThrownBy(() -> new JobSpec("/w", e(), e(), e(), e(), e(), e(), e(), e(), e(), e(), Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("script: either script or scriptPath is required");
    }

    @Test
    void emptyScriptPathIsRefused() {
        assertThatThrownBy(() -> new JobSpec("/w", Optional.of("s"), Optional.of(""), e(), e(), e(), e(), e(), e(), e(), e(),
                Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("scriptPath: must not be empty");
    }

    @Test
    void emptyWorkingDirectoryIsRefused() {
        assertThatThrownBy(() -> new JobSpec("", Optional.of("s"), e(), e(), e(), e(), e(), e(), e(), e(), e(), Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("workingDirectory: must not be empty");
    }

    @Test
    void missingPartsAreNamed() {
        assertThatThrownBy(() -> new JobSpec("/w", Optional.of("s"), e(), e(), null, e(), e(), e(), e(), e(), e(), Map.of()))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("account");
    }

    private static JobSpec spec(Map<String, String> environment) {
        return new JobSpec("/home/alice", Optional.of("#!/bin/sh\n"), e(), e(), e(), e(), e(), e(), e(), e(), e(), environment);
    }

    private static Optional<String> e() {
        return Optional.empty();
    }
}
