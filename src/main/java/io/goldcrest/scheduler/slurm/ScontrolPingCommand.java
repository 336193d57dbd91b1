package io.goldcrest.scheduler.slurm;

import io.goldcrest.scheduler.ControllerPing;
import io.goldcrest.ssh.CommandResult;
import io.goldcrest.ssh.RemoteCommand;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code scontrol ping}: one line per configured controller. It exits 1 when any controller is
 * down but still names them all, so the lines are read whatever the exit status; only output
 * without a single controller line is a failure.
 */
public final class ScontrolPingCommand implements RemoteCommand<List<ControllerPing>> {
    private static final Pattern CONTROLLER = Pattern.compile("Slurmctld\\((\\S+)\\) at (\\S+) is (\\S+)");

    @Override
    public List<String> argv() {
        return List.of("env", "SLURM_TIME_FORMAT=%s", "scontrol", "ping");
    }

    /**
     * @throws io.goldcrest.error.GoldcrestException {@code SCHEDULER_ERROR} when no line names a
     *     controller
     */
    @Override
    public List<ControllerPing> parse(CommandResult result) {
        List<ControllerPing> controllers = new ArrayList<>();
        List<String> lines = SlurmOutput.lines(result.stdout());
        for (String line : lines) {
            Matcher controller = CONTROLLER.matcher(line);
            if (controller.find()) {
                controllers.add(new ControllerPing(controller.group(1), controller.group(2), controller.group(3)));
            }
        }
        if (!controllers.isEmpty()) {
            return List.copyOf(controllers);
        }
        if (!result.succeeded()) {
            throw SlurmOutput.unexpectedExit(result);
        }
        throw SlurmOutput.unreadable("scontrol ping output", lines.isEmpty() ? "" : lines.get(0), "no controller line");
    }
}
