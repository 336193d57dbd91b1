package io.goldcrest.tasks;

import java.util.Optional;

/**
 * What the service that created a task adds while the {@link TaskWatcher} follows it; registered
 * per {@link Task#service()}.
 */
public interface TaskFollower {
    /** The progress of an open task, looked at on every round of the watcher. */
    default Optional<Progress> progress(Task task) {
        return task.progress();
    }

    /**
     * Called once when the task's job has ended and the watcher has set its final state; may
     * change it (a specific error message, a different final state) and clean up after it.
     */
    default Task ended(Task task) {
        return task;
    }
}
