package io.goldcrest.tasks;

import static org.assertj.core.api.Assertions.assertThat;

import io.goldcrest.LocalServices;
import io.goldcrest.TestClock;
import io.goldcrest.config.ClusterConfig;
import io.goldcrest.config.GoldcrestConfig;
import io.goldcrest.delegation.CertificateAuthority;
import io.goldcrest.scheduler.slurm.SlurmScheduler;
import io.goldcrest.ssh.SshPool;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A task Goldcrest carries out itself (a v1 compute call: no job) is finished by the instance that
 * took the request; when that instance stops half-way, the watcher fails the task rather than leave
 * it queued for ever. Runs on the dev configuration (its CA) but never opens a connection.
 */
class AbandonedTaskIT {
    @TempDir
    Path dataDir;

    @Test
    void aJoblessTaskLeftOpenIsFailedAfterTheGrace() {
        TestClock clock = new TestClock(Instant.now().truncatedTo(ChronoUnit.MILLIS));
        GoldcrestConfig config = LocalServices.config(LocalServices.devConfigYaml());
        ClusterConfig cluster = config.clusters().get(0);
        try (SshPool pool = SshPool.start(config, CertificateAuthority.load(config.delegation().orElseThrow(), clock), clock);
             TaskStore store = EmbeddedTaskStore.open(dataDir, clock)) {
            TaskService tasks = new TaskService(store, clock, Duration.ofDays(1));
            TaskWatcher watcher = new TaskWatcher(config.clusters(), store, pool, Map.of(cluster.name(), new SlurmScheduler()),
                    Map.of(), clock, Duration.ofSeconds(1), "test");
            Task left = tasks.create("alice", cluster.name(), "compute", "jobs", Optional.empty(), Optional.empty(), Map.of(), Map.of());
            Task finished = tasks.finish(tasks.create("alice", cluster.name(), "compute", "nodes", Optional.empty(), Optional.empty(),
                    Map.of(), Map.of()), TaskState.SUCCEEDED, Map.of("data", "x"), Optional.empty());

            clock.advance(TaskWatcher.ABANDONED_GRACE.minusSeconds(1));
            assertThat(watcher.round(cluster)).isEmpty();
            assertThat(store.get(left.id()).orElseThrow().state()).isEqualTo(TaskState.QUEUED);

            clock.advance(Duration.ofSeconds(2));
            assertThat(watcher.round(cluster)).extracting(Task::id).containsExactly(left.id());
            Task failed = store.get(left.id()).orElseThrow();
            assertThat(failed.state()).isEqualTo(TaskState.FAILED);
            assertThat(failed.error()).contains("Goldcrest stopped before the request was done; please repeat it.");
            assertThat(store.get(finished.id()).orElseThrow().state()).isEqualTo(TaskState.SUCCEEDED);
        }
    }
}
