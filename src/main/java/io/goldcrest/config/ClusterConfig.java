package io.goldcrest.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One entry of {@code clusters}: a login node, its scheduler, file systems and health probes.
 *
 * @param maxListEntries the most entries one {@code ops/ls} holds and answers (memory bound)
 * @param jobsCacheTtl how long a user's job list or job lookup is reused; zero asks Slurm every time
 * @param stagingPollInterval how often an upload job looks for the client's object in the staging bucket
 */
public record ClusterConfig(
        String name,
        Ssh ssh,
        Scheduler scheduler,
        Optional<ServiceAccount> serviceAccount,
        Probing probing,
        List<FileSystem> fileSystems,
        DataOperation dataOperation,
        HostKeys hostKeys,
        Optional<String> probeUser,
        int maxChannelsPerConnection,
        Duration accountsCacheTtl,
        int maxListEntries,
        Duration jobsCacheTtl,
        Duration stagingPollInterval) {

    public ClusterConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(ssh, "ssh");
        Objects.requireNonNull(scheduler, "scheduler");
        Objects.requireNonNull(serviceAccount, "serviceAccount");
        Objects.requireNonNull(probing, "probing");
        fileSystems = List.copyOf(fileSystems);
        Objects.requireNonNull(dataOperation, "dataOperation");
        Objects.requireNonNull(hostKeys, "hostKeys");
        Objects.requireNonNull(probeUser, "probeUser");
        Objects.requireNonNull(accountsCacheTtl, "accountsCacheTtl");
        Objects.requireNonNull(jobsCacheTtl, "jobsCacheTtl");
        Objects.requireNonNull(stagingPollInterval, "stagingPollInterval");
    }

    /** @param maxClients soft cap on pooled connections (one per user) */
    public record Ssh(String host, int port, int maxClients, Timeouts timeout) {
        public Ssh {
            Objects.requireNonNull(host, "host");
            Objects.requireNonNull(timeout, "timeout");
        }
    }

    public record Timeouts(Duration connection, Duration login, Duration commandExecution, Duration idle, Duration keepAlive) {
        public Timeouts {
            Objects.requireNonNull(connection, "connection");
            Objects.requireNonNull(login, "login");
            Objects.requireNonNull(commandExecution, "commandExecution");
            Objects.requireNonNull(idle, "idle");
            Objects.requireNonNull(keepAlive, "keepAlive");
        }
    }

    public enum SchedulerType { SLURM, PBS }

    public enum ConnectionMode { SSH, REST, HYBRID }

    public record Scheduler(SchedulerType type, ConnectionMode connectionMode, String version,
                            Optional<String> apiUrl, Optional<String> apiVersion, Duration timeout) {
        public Scheduler {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(connectionMode, "connectionMode");
            Objects.requireNonNull(version, "version");
            Objects.requireNonNull(apiUrl, "apiUrl");
            Objects.requireNonNull(apiVersion, "apiVersion");
            Objects.requireNonNull(timeout, "timeout");
        }
    }

    public record ServiceAccount(String clientId, Secret secret) {
        public ServiceAccount {
            Objects.requireNonNull(clientId, "clientId");
            Objects.requireNonNull(secret, "secret");
        }
    }

    public enum ProbeService { SCHEDULER, SSH, FILESYSTEM, S3 }

    /**
     * @param services the enabled probes and their timeouts; empty when {@code probing.services} is
     *     absent, which (as in FirecREST) also turns health gating off
     */
    public record Probing(Optional<Map<ProbeService, Duration>> services, Duration interval) {
        public Probing {
            services = services.map(Map::copyOf);
            Objects.requireNonNull(interval, "interval");
        }
    }

    public enum DataType { USERS, STORE, ARCHIVE, APPS, SCRATCH, PROJECT }

    public record FileSystem(String path, DataType dataType, boolean defaultWorkDir) {
        public FileSystem {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(dataType, "dataType");
        }
    }

    public record DataOperation(long maxOpsFileSize, List<String> transferJobDirectives,
                                Optional<DataTransfer> dataTransfer) {
        public DataOperation {
            transferJobDirectives = List.copyOf(transferJobDirectives);
            Objects.requireNonNull(dataTransfer, "dataTransfer");
        }
    }

    /** The staging service of {@code data_operation.data_transfer}, by {@code service_type}. */
    public sealed interface DataTransfer permits S3Transfer, WormholeTransfer, StreamerTransfer {}

    public record S3Transfer(String name, Secret privateUrl, String publicUrl, Secret accessKeyId,
                             Secret secretAccessKey, String region, long ttlSeconds, Optional<String> tenant,
                             Multipart multipart, int lifecycleDays) implements DataTransfer {}

    public record Multipart(boolean useSplit, long maxPartSize, int parallelRuns, String tmpFolder) {}

    public record WormholeTransfer(Optional<String> pypiIndexUrl) implements DataTransfer {}

    public record StreamerTransfer(Optional<String> pypiIndexUrl, Optional<String> host, List<Integer> portRange,
                                   List<String> publicIps, long waitTimeoutSeconds, long inboundTransferLimit)
            implements DataTransfer {}

    /**
     * How the login node's host key is verified; at least one source is required.
     *
     * @param pinnedKeys OpenSSH public key lines ({@code ssh-ed25519 AAAA...})
     */
    public record HostKeys(List<String> pinnedKeys, Optional<Path> knownHostsFile) {
        public HostKeys {
            pinnedKeys = List.copyOf(pinnedKeys);
            Objects.requireNonNull(knownHostsFile, "knownHostsFile");
        }
    }
}
