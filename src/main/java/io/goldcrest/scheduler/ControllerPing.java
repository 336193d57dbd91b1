package io.goldcrest.scheduler;

import java.util.Objects;

/** One controller's answer to a ping: {@code mode} primary/backup, {@code pinged} UP or DOWN. */
public record ControllerPing(String mode, String hostname, String pinged) {
    public ControllerPing {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(hostname, "hostname");
        Objects.requireNonNull(pinged, "pinged");
    }

    public boolean isUp() {
        return pinged.equalsIgnoreCase("UP");
    }
}
