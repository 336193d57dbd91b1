package io.goldcrest.api.v1;

import io.goldcrest.api.Json;
import io.goldcrest.audit.AuditScope;
import io.goldcrest.error.GoldcrestException;
import io.goldcrest.ssh.ShellQuoting;
import io.goldcrest.storage.TransferService;
import io.goldcrest.tasks.Progress;
import io.goldcrest.tasks.Task;
import io.goldcrest.tasks.TaskService;
import io.goldcrest.tasks.TaskState;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * FirecREST v1's asynchronous task model on top of the Tasks service: v1 operations that Goldcrest
 * carries out itself (every compute call) become tasks that a virtual thread finishes, and every task
 * (v1's or v2's) is shown in v1's shape: a string status code 100…400 with its fixed description,
 * and the {@code data} v1 clients read at that status.
 */
public final class V1Tasks {
    private static final Logger LOG = LoggerFactory.getLogger(V1Tasks.class);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss").withZone(ZoneOffset.UTC);
    /** The key of {@link Task#result()} under which a v1 operation keeps its {@code data}. */
    static final String DATA = "data";

    private final TaskService tasks;
    private final String prefix;

    V1Tasks(TaskService tasks, String prefix) {
        this.tasks = tasks;
        this.prefix = prefix;
    }

    TaskService service() {
        return tasks;
    }

    /**
     * Records a queued task and carries {@code work} out on a virtual thread; its value (plain JSON:
     * maps, lists, strings, numbers) becomes the task's {@code data} at status 200, a failure its error
     * at status 400.
     *
     * @param service {@code compute} (or {@code storage})
     */
    Task start(String user, String system, String service, String operation, Callable<Object> work) {
        Task task = tasks.create(user, system, service, operation, Optional.empty(), Optional.empty(), Map.of(), Map.of());
        Thread.ofVirtual().name("v1-task-" + task.id()).start(() -> run(task, work));
        return task;
    }

    private void run(Task task, Callable<Object> work) {
        // The thread inherited the request's audit scope; its commands run after the answer.
        AuditScope.continueInBackground();
        try {
            Object value = Json.MAPPER.convertValue(work.call(), Object.class);
            Map<String, Object> result = new LinkedHashMap<>();
            result.put(DATA, value);
            tasks.finish(task, TaskState.SUCCEEDED, result, Optional.empty());
        } catch (GoldcrestException e) {
            finishFailed(task, e.getMessage());
        } catch (Exception e) {
            LOG.error("v1 task {} ({} {}) failed unexpectedly", task.id(), task.service(), task.operation(), e);
            finishFailed(task, "FirecREST Internal error (task " + task.id() + ")");
        }
    }

    private void finishFailed(Task task, String message) {
        try {
            tasks.finish(task, TaskState.FAILED, Map.of(), Optional.of(message));
        } catch (RuntimeException e) {
            // The store is down; the watcher fails the task once it is reachable again and the task is old.
            LOG.warn("v1 task {}: recording its failure failed: {}", task.id(), e.toString());
        }
    }

    /** v1's answer to a request that created a task. */
    Map<String, Object> created(Task task, boolean withUrl) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("success", "Task created");
        body.put("task_id", task.id());
        if (withUrl) {
            body.put("task_url", url(task));
        }
        return body;
    }

    private String url(Task task) {
        return prefix + "/tasks/" + task.id();
    }

    // ------------------------------------------------------------------ the v1 view

    /** A v1 status code and its fixed description. */
    record Status(String code, String description) {
        static final Status QUEUED = new Status("100", "Queued");
        static final Status IN_PROGRESS = new Status("101", "In progress");
        static final Status UPLOAD_URL_READY = new Status("111", "Form URL from Object Storage received");
        static final Status UPLOAD_TO_CLUSTER = new Status("113", "Download from Object Storage to server has started");
        static final Status UPLOAD_DONE = new Status("114", "Download from Object Storage to server has finished");
        static final Status UPLOAD_ERROR = new Status("115", "Download from Object Storage error");
        static final Status DOWNLOAD_STARTED = new Status("116", "Started upload from filesystem to Object Storage");
        static final Status DOWNLOAD_DONE = new Status("117", "Upload from filesystem to Object Storage has finished succesfully");
        static final Status DOWNLOAD_ERROR = new Status("118", "Upload from filesystem to Object Storage has finished with errors");
        static final Status SUCCESS = new Status("200", "Finished successfully");
        static final Status ERROR = new Status("400", "Finished with errors");
    }

    /** What kind of v1 task a task is, which decides its codes and {@code data}. */
    private enum Kind { OPERATION, INTERNAL_TRANSFER, UPLOAD, DOWNLOAD }

    private static Kind kind(Task task) {
        if (!task.service().equals(TransferService.SERVICE)) {
            return Kind.OPERATION;
        }
        return switch (task.operation()) {
            case "upload" -> Kind.UPLOAD;
            case "download" -> Kind.DOWNLOAD;
            default -> Kind.INTERNAL_TRANSFER;
        };
    }

    static Status status(Task task) {
        TaskState state = task.state();
        return switch (kind(task)) {
            case OPERATION -> switch (state) {
                case QUEUED -> Status.QUEUED;
                case RUNNING -> Status.IN_PROGRESS;
                case SUCCEEDED -> Status.SUCCESS;
                default -> Status.ERROR;
            };
            // v1's internal-transfer task is the submission of its job: done once the job exists.
            // The job's own fate is the job's (pyfirecrest follows it through /compute/jobs).
            case INTERNAL_TRANSFER -> task.jobId().isPresent() ? Status.SUCCESS : state.isOpen() ? Status.QUEUED : Status.ERROR;
            case UPLOAD -> state == TaskState.SUCCEEDED ? Status.UPLOAD_DONE
                    : !state.isOpen() ? Status.UPLOAD_ERROR
                    : task.progress().map(Progress::done).orElse(0L) > 0 ? Status.UPLOAD_TO_CLUSTER
                    : Status.UPLOAD_URL_READY;
            case DOWNLOAD -> state == TaskState.SUCCEEDED ? Status.DOWNLOAD_DONE
                    : state.isOpen() ? Status.DOWNLOAD_STARTED : Status.DOWNLOAD_ERROR;
        };
    }

    /** The task as v1's {@code GET /tasks} shows it; {@code GET /tasks/{id}} adds {@code task_url}. */
    Map<String, Object> view(Task task, boolean withUrl) {
        Status status = status(task);
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("task_id", task.id());
        view.put("hash_id", task.id());
        view.put("user", task.owner());
        view.put("status", status.code());
        view.put("description", status.description());
        view.put("data", data(task, status));
        view.put("service", task.service().equals(TransferService.SERVICE) ? "storage" : task.service());
        view.put("system", task.system());
        view.put("created_at", TIME.format(task.createdAt()));
        view.put("updated_at", TIME.format(task.updatedAt()));
        view.put("last_modify", TIME.format(task.updatedAt()));
        if (withUrl) {
            view.put("task_url", url(task));
        }
        return view;
    }

    private static Object data(Task task, Status status) {
        return switch (kind(task)) {
            case OPERATION -> task.state() == TaskState.SUCCEEDED ? task.result().get(DATA)
                    : task.state().isOpen() ? status.description()
                    : task.error().orElse(status.description());
            case INTERNAL_TRANSFER -> task.jobId().isPresent() ? submission(task) : task.error().orElse(status.description());
            case UPLOAD -> upload(task, status);
            case DOWNLOAD -> download(task, status);
        };
    }

    /** v1's job-submission {@code data}, as its internal transfers and job submissions report it. */
    static Map<String, Object> submission(String jobId, String outputLog, String errorLog, String script) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("result", "Job submitted");
        data.put("jobid", jobId);
        data.put("job_file_out", outputLog);
        data.put("job_file_err", errorLog);
        data.put("job_file", script);
        data.put("job_data_out", "");
        data.put("job_data_err", "");
        data.put("job_info_extra", "Job info returned successfully");
        return data;
    }

    private static Map<String, Object> submission(Task task) {
        Map<?, ?> job = task.result().get("transferJob") instanceof Map<?, ?> map ? map : Map.of();
        Map<?, ?> logs = job.get("logs") instanceof Map<?, ?> map ? map : Map.of();
        return submission(task.jobId().orElse(""), text(logs.get("outputLog")), text(logs.get("errorLog")), "");
    }

    /**
     * An external upload: while the client may upload, {@code msg} holds the presigned PUT and the
     * ready-to-run curl command pyfirecrest's {@code finish_upload()} runs (split with shlex).
     */
    private static Map<String, Object> upload(Task task, Status status) {
        String target = text(task.result().get("targetPath"));
        String source = text(task.result().get("clientPath"));
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("user", task.owner());
        data.put("system_name", task.system());
        data.put("system_addr", task.system());
        data.put("target", target);
        data.put("source", source);
        data.put("status", status.code());
        data.put("hash_id", task.id());
        data.put("trace_id", task.id());
        Object url = task.result().get("uploadUrl");
        if (task.state().isOpen() && url != null) {
            Map<String, Object> parameters = new LinkedHashMap<>();
            parameters.put("method", "PUT");
            parameters.put("url", url.toString());
            parameters.put("data", Map.of());
            parameters.put("files", source);
            parameters.put("json", Map.of());
            parameters.put("params", Map.of());
            parameters.put("headers", Map.of());
            Map<String, Object> msg = new LinkedHashMap<>();
            msg.put("parameters", parameters);
            msg.put("command", ShellQuoting.join(List.of("curl", "-f", "--show-error", "-s", "-i", "-X", "PUT",
                    "--upload-file", source, url.toString())));
            data.put("msg", msg);
        } else {
            data.put("msg", task.error().orElse(status.description()));
        }
        return data;
    }

    private static Map<String, Object> download(Task task, Status status) {
        Map<String, Object> data = new LinkedHashMap<>();
        if (task.state() == TaskState.SUCCEEDED) {
            data.put("url", text(task.result().get("downloadUrl")));
        } else if (!task.state().isOpen()) {
            data.put("error", task.error().orElse(status.description()));
        }
        data.put("source", text(task.result().get("sourcePath")));
        data.put("system_name", task.system());
        return data;
    }

    private static String text(Object value) {
        return value == null ? "" : value.toString();
    }

    static String time(Instant instant) {
        return TIME.format(instant);
    }
}
