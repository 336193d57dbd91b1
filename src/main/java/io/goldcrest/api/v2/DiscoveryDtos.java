package io.goldcrest.api.v2;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** The JSON of {@code GET /discovery}. No field carries a secret of the configuration. */
final class DiscoveryDtos {
    private DiscoveryDtos() {}

    record Discovery(Server server, List<Api> apis, Documentation documentation, List<SystemDto> systems) {}

    /** @param version Goldcrest's build version */
    record Server(String name, String version) {}

    /** @param basePaths where the API's routes are served, {@code /} for the root */
    record Api(String name, String version, List<String> basePaths) {}

    /** Paths under each v2 base path. */
    record Documentation(String openapi, String ui) {}

    record SystemDto(String name, Limits limits, List<TransferMethod> transferMethods, SchedulerDto scheduler) {}

    /**
     * @param maxOpsFileSize bytes
     * @param commandTimeout seconds
     */
    record Limits(long maxOpsFileSize, long commandTimeout) {}

    /** The settings a client plans with; those a method does not have are left out. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record TransferMethod(String method, boolean served, Long maxPartSize, Long urlLifetime, Long waitTimeout,
                          Long inboundTransferLimit) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record SchedulerDto(String type, @JsonInclude(JsonInclude.Include.ALWAYS) String version, String configuredVersion,
                        String versionUnknownReason) {}
}
