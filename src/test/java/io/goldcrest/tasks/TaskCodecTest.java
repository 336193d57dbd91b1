package io.goldcrest.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.goldcrest.error.ErrorCode;
import io.goldcrest.error.GoldcrestException;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TaskCodecTest {
    private static final Instant CREATED = Instant.parse("2026-11-22T10:15:30.123456789Z");

    @Test
    void roundTripsEveryField() {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("bytes", 1234L);
        result.put("big", 12_345_678_901L);
        result.put("ratio", 0.5);
        result.put("ok", true);
        result.put("nothing", null);
        result.put("parts", List.of("a", 2L, Map.of("url", "http://127.0.0.1:9000/x?sig=1")));
        result.put("nested", Map.of("deep", List.of(List.of(1L))));
        Task task = new Task("6f1c0f8e-1b1e-4a8b-9c1e-0a0b0c0d0e0f", "alice", "cluster", "transfer", "upload",
                TaskState.RUNNING, Optional.of(new Progress(10, Optional.of(100L), "bytes")), result,
                Optional.of("quota \"exceeded\"\nline 2 ü"), Optional.of("42"), CREATED, CREATED.plusSeconds(5),
                CREATED.plusSeconds(3600), Map.of("uploadId", "u-1", "objectKey", "a/b c"));

        assertThat(TaskCodec.decode(TaskCodec.encode(task))).isEqualTo(task);
    }

    @Test
    void roundTripsAbsentOptionals() {
        Task task = new Task("id-1", "bob", "cluster", "compute", "mv", TaskState.QUEUED, Optional.empty(), Map.of(),
                Optional.empty(), Optional.empty(), CREATED, CREATED, CREATED.plusSeconds(60), Map.of());
        String json = TaskCodec.encode(task);

        assertThat(json).doesNotContain("progress", "error", "jobId", "null");
        assertThat(TaskCodec.decode(json)).isEqualTo(task);
    }

    @Test
    void roundTripsProgressWithoutTotal() {
        Task task = new Task("id-2", "bob", "cluster", "transfer", "download", TaskState.RUNNING,
                Optional.of(new Progress(7, Optional.empty(), "files")), Map.of(), Optional.empty(), Optional.empty(),
                CREATED, CREATED, CREATED.plusSeconds(60), Map.of());

        assertThat(TaskCodec.decode(TaskCodec.encode(task))).isEqualTo(task);
    }

    @Test
    void writesInstantsAsIsoStringsAndStatesAsWords() {
        Task task = new Task("id-3", "bob", "cluster", "compute", "rm", TaskState.SUCCEEDED, Optional.empty(), Map.of(),
                Optional.empty(), Optional.empty(), CREATED, CREATED, CREATED.plusSeconds(60), Map.of());

        assertThat(TaskCodec.encode(task))
                .contains("\"createdAt\":\"2026-11-22T10:15:30.123456789Z\"")
                .contains("\"expiresAt\":\"2026-11-22T10:16:30.123456789Z\"")
                .contains("\"state\":\"succeeded\"")
                .contains("\"version\":1");
    }

    @Test
    void refusesResultsThatAreNotPlainJson() {
        Task task = new Task("id-4", "bob", "cluster", "compute", "rm", TaskState.SUCCEEDED, Optional.empty(),
                Map.of("when", List.of("ok", Instant.EPOCH)), Optional.empty(), Optional.empty(), CREATED, CREATED,
                CREATED.plusSeconds(60), Map.of());

        assertThatThrownBy(() -> TaskCodec.encode(task))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("result.when[1]: not a plain JSON value: java.time.Instant");
    }

    @Test
    void refusesCorruptOrForeignRecords() {
        for (String json : Arrays.asList("", "{", "{\"version\":2,\"id\":\"x\"}", "{\"version\":1,\"id\":\"x\"}")) {
            assertThatThrownBy(() -> TaskCodec.decode(json))
                    .as(json)
                    .isInstanceOfSatisfying(GoldcrestException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INTERNAL))
                    .hasMessageStartingWith("a stored task record cannot be read: ");
        }
        assertThatThrownBy(() -> TaskCodec.decode("{\"version\":2}")).hasMessage("a stored task record cannot be read: record version 2, expected 1");
    }
}
