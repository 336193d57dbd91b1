package io.goldcrest.ssh;

import java.util.List;
import java.util.Objects;

/**
 * A small program kept running on the login node as the user, answering one line for each request
 * line on its stdin, so frequent requests cost a round trip instead of a process start. It must
 * exit when its stdin closes. Its argv is fixed (it never contains user data: requests travel on
 * stdin), so nothing a user sends reaches a shell.
 *
 * @param name for messages and logs
 */
public record Agent(String name, List<String> argv) {
    public Agent {
        Objects.requireNonNull(name, "name");
        argv = List.copyOf(argv);
    }
}
