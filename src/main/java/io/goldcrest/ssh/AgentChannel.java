package io.goldcrest.ssh;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumSet;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.client.session.ClientSession;

/** One running {@link Agent}: an exec channel whose stdin and stdout carry request and answer lines. */
final class AgentChannel {
    /** An agent's complaints are short; more is not read. */
    private static final int STDERR_CAP = 4096;

    private final ChannelExec channel;
    private final OutputStream requests;
    private final BufferedReader answers;
    private final BoundedOutputStream errors;

    private AgentChannel(ChannelExec channel, BoundedOutputStream errors) {
        this.channel = channel;
        this.errors = errors;
        this.requests = channel.getInvertedIn();
        this.answers = new BufferedReader(new InputStreamReader(channel.getInvertedOut(), StandardCharsets.UTF_8));
    }

    static ChannelLender.Kind<AgentChannel> kind(Agent agent, Duration openTimeout) {
        return new ChannelLender.Kind<>() {
            @Override
            public AgentChannel open(ClientSession session) throws IOException {
                // No `timeout` prefix: the agent lives as long as the connection (it exits on stdin EOF).
                ChannelExec channel = session.createExecChannel(ShellQuoting.join(agent.argv()));
                BoundedOutputStream errors = new BoundedOutputStream(STDERR_CAP, () -> { });
                channel.setErr(errors);
                channel.open().verify(openTimeout);
                return new AgentChannel(channel, errors);
            }

            @Override
            public boolean usable(AgentChannel channel) {
                return channel.channel.isOpen() && !channel.channel.isClosing();
            }

            @Override
            public void close(AgentChannel channel) {
                channel.close();
            }
        };
    }

    /** @throws IOException when the channel closed or the agent ended instead of answering */
    String ask(String request) throws IOException {
        requests.write((request + "\n").getBytes(StandardCharsets.UTF_8));
        requests.flush();
        String answer = answers.readLine();
        if (answer == null) {
            throw new java.io.EOFException("agent ended");
        }
        return answer;
    }

    /** Why the agent ended: its exit status and stderr, once the channel has closed (waits briefly). */
    String endReason() {
        channel.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), Duration.ofSeconds(1));
        Integer status = channel.getExitStatus();
        String stderr = errors.text().strip();
        return "exit status " + (status == null ? "unknown" : status) + (stderr.isEmpty() ? "" : ": " + stderr);
    }

    boolean ended() {
        return channel.getExitStatus() != null || channel.isClosed();
    }

    void close() {
        channel.close(true);
    }
}
