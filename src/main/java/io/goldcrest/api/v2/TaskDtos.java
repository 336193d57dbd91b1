package io.goldcrest.api.v2;

import io.goldcrest.tasks.Progress;
import io.goldcrest.tasks.Task;
import java.util.List;
import java.util.Map;

/** The JSON of a task: everything but its internal context. */
final class TaskDtos {
    private TaskDtos() {}

    /** @param percent whole percent done, when the total is known */
    record ProgressDto(long done, Long total, String unit, Integer percent) {}

    record TaskDto(String id, String user, String system, String service, String operation, String state,
                   ProgressDto progress, Map<String, Object> result, String error, String jobId,
                   String createdAt, String updatedAt, String expiresAt) {}

    record TaskList(List<TaskDto> tasks) {}

    static TaskDto of(Task task) {
        return new TaskDto(task.id(), task.owner(), task.system(), task.service(), task.operation(), task.state().word(),
                task.progress().map(TaskDtos::progress).orElse(null), task.result(), task.error().orElse(null),
                task.jobId().orElse(null), task.createdAt().toString(), task.updatedAt().toString(), task.expiresAt().toString());
    }

    static TaskList list(List<Task> tasks) {
        return new TaskList(tasks.stream().map(TaskDtos::of).toList());
    }

    private static ProgressDto progress(Progress progress) {
        Integer percent = progress.total().filter(total -> total > 0)
                .map(total -> (int) Math.min(100, progress.done() * 100 / total))
                .orElse(progress.total().isPresent() ? 100 : null);
        return new ProgressDto(progress.done(), progress.total().orElse(null), progress.unit(), percent);
    }
}
