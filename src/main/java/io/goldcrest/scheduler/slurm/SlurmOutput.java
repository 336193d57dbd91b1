package io.goldcrest.scheduler.slurm;

import io.goldcrest.error.ErrorCode;
import io.goldcrest.error.GoldcrestException;
import io.goldcrest.ssh.CommandResult;
import java.util.List;
import java.util.Optional;

/** What every Slurm command parser shares: the failure messages and reading of optional numbers. */
final class SlurmOutput {
    /** Quoted output lines are cut here, so a runaway line cannot flood the error body. */
    static final int QUOTE_LIMIT = 200;

    private SlurmOutput() {}

    /** @throws GoldcrestException {@code SCHEDULER_ERROR} when the command exited non-zero */
    static void requireSuccess(CommandResult result) {
        if (!result.succeeded()) {
            throw unexpectedExit(result);
        }
    }

    /**
     * For commands asked about one job: true when the command failed only because Slurm does not
     * know the id (an empty answer, not an error).
     *
     * @throws GoldcrestException {@code SCHEDULER_ERROR} for any other failure
     */
    static boolean failedForUnknownJob(CommandResult result) {
        if (result.succeeded()) {
            return false;
        }
        if (result.stderr().contains("Invalid job id specified")) {
            return true;
        }
        throw unexpectedExit(result);
    }

    static GoldcrestException unexpectedExit(CommandResult result) {
        return new GoldcrestException(ErrorCode.SCHEDULER_ERROR, "Unexpected Slurm command response. exit_status:"
                + result.exitStatus() + " std_err:" + result.stderr().strip());
    }

    /** @param what the command and part of its output, e.g. {@code sinfo line} */
    static GoldcrestException unreadable(String what, String line, String reason) {
        return new GoldcrestException(ErrorCode.SCHEDULER_ERROR,
                "Cannot read " + what + " (" + reason + "): '" + shorten(line) + "'");
    }

    static String shorten(String text) {
        return text.length() <= QUOTE_LIMIT ? text : text.substring(0, QUOTE_LIMIT) + "...";
    }

    /** The non-blank lines of {@code output}, without their line terminators. */
    static List<String> lines(String output) {
        return output.lines().filter(line -> !line.isBlank()).toList();
    }

    /** Slurm writes {@code N/A}, {@code (null)} or nothing where it has no number; those become empty. */
    static Optional<Integer> optionalInt(String value) {
        try {
            return Optional.of(Integer.valueOf(value.strip()));
        } catch (NumberFormatException notANumber) {
            return Optional.empty();
        }
    }

    static Optional<Long> optionalLong(String value) {
        try {
            return Optional.of(Long.valueOf(value.strip()));
        } catch (NumberFormatException notANumber) {
            return Optional.empty();
        }
    }

    static Optional<Double> optionalDouble(String value) {
        try {
            double number = Double.parseDouble(value.strip());
            return Double.isFinite(number) ? Optional.of(number) : Optional.empty();
        } catch (NumberFormatException notANumber) {
            return Optional.empty();
        }
    }
}
