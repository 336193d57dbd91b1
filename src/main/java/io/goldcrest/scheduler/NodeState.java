package io.goldcrest.scheduler;

import java.util.Locale;

/** A node's state as the API reports it, whatever the scheduler's own spelling. */
public enum NodeState {
    IDLE, ALLOCATED, MIXED, DOWN, DRAIN, OFFLINE, RESERVED, COMPLETING, BUSY, POWERING_DOWN, POWERING_UP, UNKNOWN;

    /** Maps a Slurm state word ({@code idle}, {@code mix}, {@code drained*}...); flag suffixes are ignored. */
    public static NodeState fromSlurm(String value) {
        String word = value.trim().toLowerCase(Locale.ROOT).replaceAll("[*+~#%$@!^-]+$", "");
        return switch (word) {
            case "idle" -> IDLE;
            case "allocated", "alloc" -> ALLOCATED;
            case "mixed", "mix" -> MIXED;
            case "down", "fail", "failing", "failg" -> DOWN;
            case "drain", "drained", "draining", "drng" -> DRAIN;
            case "maint" -> OFFLINE;
            case "reserved", "resv" -> RESERVED;
            case "completing", "comp" -> COMPLETING;
            case "power_down", "pow_dn", "powering_down" -> POWERING_DOWN;
            case "power_up", "pow_up", "powering_up" -> POWERING_UP;
            default -> UNKNOWN;
        };
    }
}
