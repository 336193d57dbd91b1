package io.goldcrest.audit;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.goldcrest.config.AuditConfig;
import io.goldcrest.ssh.RemoteOperation;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The audit line's fields, and where its client, request and origin come from. */
class AuditLogTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-01T10:15:30.123Z"), ZoneOffset.UTC);

    private final Logger logger = (Logger) LoggerFactory.getLogger(AuditLog.LOGGER);
    private final ListAppender<ILoggingEvent> captured = new ListAppender<>();
    private Level previousLevel;

    @BeforeEach
    void capture() {
        previousLevel = logger.getLevel();
        logger.setLevel(Level.INFO);
        logger.setAdditive(false);
        captured.start();
        logger.addAppender(captured);
    }

    @AfterEach
    void release() {
        logger.detachAppender(captured);
        logger.setLevel(previousLevel);
        logger.setAdditive(true);
        AuditScope.clear();
    }

    private List<JsonNode> lines() throws Exception {
        List<JsonNode> lines = new ArrayList<>();
        for (ILoggingEvent event : captured.list) {
            lines.add(JSON.readTree(event.getFormattedMessage()));
        }
        return lines;
    }

    private static RemoteOperation squeue() {
        return new RemoteOperation("cluster", "alice", RemoteOperation.EXEC, "squeue", Optional.of(0), Optional.empty(),
                Duration.ofMillis(12).plusNanos(345_678));
    }

    @Test
    void aRequestsCommandIsOneLineNamingWhoWhatWhereAndHowItEnded() throws Exception {
        AuditScope.enter("0123456789abcdef0123456789abcdef", "portal");
        new AuditLog(new AuditConfig(true), CLOCK).finished(squeue());

        assertThat(captured.list).hasSize(1);
        assertThat(captured.list.getFirst().getFormattedMessage()).isEqualTo("{\"time\":\"2026-03-01T10:15:30.123Z\",\"user\":\"alice\","
                + "\"client\":\"portal\",\"request_id\":\"0123456789abcdef0123456789abcdef\",\"origin\":\"request\","
                + "\"system\":\"cluster\",\"kind\":\"exec\",\"operation\":\"squeue\",\"exit_status\":0,\"failure\":null,"
                + "\"duration_ms\":12.3}");
    }

    @Test
    void aFailureCarriesItsCodeAndSftpHasNoExitStatus() throws Exception {
        AuditScope.enter("r1", null);
        new AuditLog(new AuditConfig(true), CLOCK).finished(new RemoteOperation("cluster", "bob", RemoteOperation.SFTP,
                "lstat+mkdir", Optional.empty(), Optional.of("PERMISSION_DENIED"), Duration.ofMillis(3)));

        JsonNode line = lines().getFirst();
        assertThat(line.get("kind").asText()).isEqualTo("sftp");
        assertThat(line.get("operation").asText()).isEqualTo("lstat+mkdir");
        assertThat(line.get("exit_status").isNull()).isTrue();
        assertThat(line.get("failure").asText()).isEqualTo("PERMISSION_DENIED");
        assertThat(line.get("client").isNull()).isTrue();
        assertThat(line.get("origin").asText()).isEqualTo("request");
    }

    @Test
    void workWithoutARequestIsBackground() throws Exception {
        new AuditLog(new AuditConfig(true), CLOCK).finished(squeue());

        JsonNode line = lines().getFirst();
        assertThat(line.get("origin").asText()).isEqualTo("background");
        assertThat(line.get("request_id").isNull()).isTrue();
        assertThat(line.get("client").isNull()).isTrue();
    }

    @Test
    void aThreadTheRequestStartedKeepsItsScopeAndMayGoOnInBackground() throws Exception {
        AuditLog audit = new AuditLog(new AuditConfig(true), CLOCK);
        AuditScope.enter("r2", "portal");
        AtomicReference<Throwable> failed = new AtomicReference<>();
        Thread helper = Thread.ofVirtual().start(() -> audit.finished(squeue()));
        Thread task = Thread.ofVirtual().start(() -> {
            AuditScope.continueInBackground();
            audit.finished(squeue());
        });
        helper.join();
        task.join();
        AuditScope.clear();
        Thread later = Thread.ofVirtual().uncaughtExceptionHandler((thread, e) -> failed.set(e)).start(() -> audit.finished(squeue()));
        later.join();

        assertThat(failed.get()).isNull();
        List<JsonNode> lines = lines();
        assertThat(lines).hasSize(3);
        assertThat(lines).filteredOn(line -> line.get("request_id").asText().equals("r2"))
                .extracting(line -> line.get("origin").asText()).containsExactlyInAnyOrder("request", "background");
        assertThat(lines).filteredOn(line -> line.get("request_id").asText().equals("r2"))
                .allSatisfy(line -> assertThat(line.get("client").asText()).isEqualTo("portal"));
        assertThat(lines).filteredOn(line -> line.get("request_id").isNull()).hasSize(1);
    }

    @Test
    void disabledWritesNothing() {
        AuditScope.enter("r3", "portal");
        new AuditLog(new AuditConfig(false), CLOCK).finished(squeue());

        assertThat(captured.list).isEmpty();
    }
}
