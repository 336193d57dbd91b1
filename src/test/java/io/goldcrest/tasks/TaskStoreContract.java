package io.goldcrest.tasks;

import static org.assertj.core.api.Assertions.assertThat;

import io.goldcrest.TestClock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link TaskStore} promises, run against each implementation. The clock starts at the
 * real time, since Redis expires keys by its own clock; tests move it forward to make tasks expire.
 */
abstract class TaskStoreContract {
    protected final TestClock clock = new TestClock(Instant.now().truncatedTo(ChronoUnit.MILLIS));
    protected final Instant start = clock.instant();
    private final List<TaskStore> opened = new ArrayList<>();

    /** A new store instance on the same data as every other one this test opens, reading {@link #clock}. */
    protected abstract TaskStore newStore();

    protected final TaskStore openStore() {
        TaskStore store = newStore();
        opened.add(store);
        return store;
    }

    @AfterEach
    void closeStores() {
        opened.forEach(TaskStore::close);
    }

    static Task task(String owner, String system, TaskState state, Instant createdAt) {
        return new Task(TaskIds.newId(), owner, system, "transfer", "upload", state, Optional.empty(),
                Map.of("size", 10L), Optional.empty(), Optional.empty(), createdAt, createdAt,
                createdAt.plus(Duration.ofHours(1)), Map.of("uploadId", "u-" + createdAt.toEpochMilli()));
    }

    static List<String> ids(List<Task> tasks) {
        return tasks.stream().map(Task::id).toList();
    }

    @Test
    void getsWhatWasPut() {
        TaskStore store = openStore();
        Task task = task("alice", "cluster", TaskState.QUEUED, start);
        store.put(task);

        assertThat(store.get(task.id())).contains(task);
        assertThat(store.get(TaskIds.newId())).isEmpty();
    }

    @Test
    void putReplacesTheTask() {
        TaskStore store = openStore();
        Task task = task("alice", "cluster", TaskState.QUEUED, start);
        store.put(task);
        Task failed = task.moved(TaskState.FAILED, Optional.of("disk quota exceeded"), start.plusSeconds(3));
        store.put(failed);

        assertThat(store.get(task.id())).contains(failed);
        assertThat(store.byOwner("alice")).containsExactly(failed);
    }

    @Test
    void listsAnOwnersTasksNewestFirst() {
        TaskStore store = openStore();
        Task first = task("alice", "cluster", TaskState.SUCCEEDED, start);
        Task second = task("alice", "other", TaskState.RUNNING, start.plusSeconds(1));
        Task third = task("alice", "cluster", TaskState.QUEUED, start.plusSeconds(2));
        Task bobs = task("bob", "cluster", TaskState.QUEUED, start.plusSeconds(1));
        for (Task task : List.of(second, bobs, third, first)) {
            store.put(task);
        }

        assertThat(ids(store.byOwner("alice"))).containsExactly(third.id(), second.id(), first.id());
        assertThat(store.byOwner("bob")).containsExactly(bobs);
        assertThat(store.byOwner("carol")).isEmpty();
    }

    @Test
    void listsASystemsOpenTasksOldestFirst() {
        TaskStore store = openStore();
        Task running = task("alice", "cluster", TaskState.RUNNING, start.plusSeconds(2));
        Task queued = task("bob", "cluster", TaskState.QUEUED, start.plusSeconds(1));
        Task done = task("alice", "cluster", TaskState.SUCCEEDED, start);
        Task elsewhere = task("alice", "other", TaskState.QUEUED, start);
        for (Task task : List.of(running, done, elsewhere, queued)) {
            store.put(task);
        }

        assertThat(ids(store.open("cluster"))).containsExactly(queued.id(), running.id());
        assertThat(store.open("other")).containsExactly(elsewhere);
        assertThat(store.open("nowhere")).isEmpty();
    }

    @Test
    void aTaskLeavesTheOpenSetWhenItEnds() {
        TaskStore store = openStore();
        Task task = task("alice", "cluster", TaskState.QUEUED, start);
        store.put(task);
        store.put(task.moved(TaskState.RUNNING, Optional.empty(), start.plusSeconds(1)));
        assertThat(ids(store.open("cluster"))).containsExactly(task.id());

        Task cancelled = task.moved(TaskState.CANCELLED, Optional.empty(), start.plusSeconds(2));
        store.put(cancelled);

        assertThat(store.open("cluster")).isEmpty();
        assertThat(store.get(task.id())).contains(cancelled);
        assertThat(store.byOwner("alice")).containsExactly(cancelled);
    }

    @Test
    void hidesTasksPastTheirExpiryBeforeAnySweep() {
        TaskStore store = openStore();
        Task task = task("alice", "cluster", TaskState.RUNNING, start);
        Task later = task("alice", "cluster", TaskState.RUNNING, start.plusSeconds(60));
        store.put(task);
        store.put(later);

        clock.advance(Duration.ofHours(1).minusMillis(1));
        assertThat(store.get(task.id())).isPresent();

        clock.advance(Duration.ofMillis(1));
        assertThat(store.get(task.id())).isEmpty();
        assertThat(store.byOwner("alice")).containsExactly(later);
        assertThat(store.open("cluster")).containsExactly(later);
    }

    @Test
    void sweepKeepsLiveTasks() {
        TaskStore store = openStore();
        Task task = task("alice", "cluster", TaskState.RUNNING, start);
        store.put(task);

        store.sweep(clock.instant());

        assertThat(store.get(task.id())).contains(task);
        assertThat(store.open("cluster")).containsExactly(task);
    }

    @Test
    void tasksSurviveClosingTheStore() {
        TaskStore store = newStore();
        Task task = task("alice", "cluster", TaskState.RUNNING, start);
        store.put(task);
        store.close();

        TaskStore reopened = openStore();

        assertThat(reopened.get(task.id())).contains(task);
        assertThat(reopened.byOwner("alice")).containsExactly(task);
        assertThat(reopened.open("cluster")).containsExactly(task);
    }

    @Test
    void takesConcurrentPutsFromManyVirtualThreads() throws Exception {
        TaskStore store = openStore();
        List<Task> tasks = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            tasks.add(task("alice", "cluster", TaskState.QUEUED, start.plusMillis(i)));
        }
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> puts = new ArrayList<>();
            for (Task task : tasks) {
                puts.add(executor.submit(() -> {
                    store.put(task);
                    store.put(task.moved(TaskState.RUNNING, Optional.empty(), task.createdAt().plusSeconds(1)));
                    return store.get(task.id()).orElseThrow();
                }));
            }
            for (Future<?> put : puts) {
                put.get();
            }
        }

        assertThat(ids(store.byOwner("alice"))).containsExactlyElementsOf(ids(tasks).reversed());
        assertThat(ids(store.open("cluster"))).containsExactlyElementsOf(ids(tasks));
        assertThat(store.open("cluster")).allMatch(task -> task.state() == TaskState.RUNNING);
    }

    @Test
    void aHolderRenewsItsOwnLease() {
        TaskStore store = openStore();
        String system = "cluster-" + TaskIds.newId();

        assertThat(store.lease(system, "instance-a", Duration.ofSeconds(10))).isTrue();
        assertThat(store.lease(system, "instance-a", Duration.ofSeconds(10))).isTrue();
    }
}
