package io.goldcrest.scheduler;

import java.util.Locale;

/**
 * A job's (or step's) state, named as Slurm prints it. States Goldcrest does not know are kept as
 * {@link #UNKNOWN} with the scheduler's word in {@link JobStatus#stateText()}.
 */
public enum JobState {
    PENDING, RUNNING, SUSPENDED, COMPLETING, COMPLETED, CANCELLED, FAILED, TIMEOUT, NODE_FAIL, PREEMPTED,
    BOOT_FAIL, DEADLINE, OUT_OF_MEMORY, CONFIGURING, RESIZING, REQUEUED, REQUEUE_FED, REQUEUE_HOLD,
    SPECIAL_EXIT, STOPPED, REVOKED, RESV_DEL_HOLD, SIGNALING, STAGE_OUT, POWER_UP_NODE, LAUNCH_FAILED,
    UPDATE_DB, RECONFIG_FAIL, UNKNOWN;

    /** @return {@link #UNKNOWN} for a word that is not a Slurm state */
    public static JobState of(String word) {
        try {
            return valueOf(word.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException notAState) {
            return UNKNOWN;
        }
    }
}
