package io.goldcrest.storage;

import io.goldcrest.error.ErrorCode;
import io.goldcrest.error.GoldcrestException;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The envelope of every transfer job script: the cluster's directives right after the shebang (so
 * the scheduler reads them), with {@code {account}} replaced by the request's account, then the
 * job id line FirecREST prints first, {@code set -e} so any failed step fails the job, and the body.
 */
public final class TransferScript {
    static final String ACCOUNT_PLACEHOLDER = "{account}";
    // An account lands inside a directive line; anything beyond Slurm's own account characters could add options.
    private static final Pattern ACCOUNT = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}");

    private TransferScript() {}

    /**
     * @throws GoldcrestException {@code INVALID_PARAMETER} when a directive needs an account and none
     *     (or an unusable one) was given
     */
    public static String render(List<String> directives, Optional<String> account, TransferJob job) {
        StringBuilder script = new StringBuilder("#!/bin/bash\n");
        for (String directive : directives) {
            if (directive.contains(ACCOUNT_PLACEHOLDER)) {
                String value = account.filter(text -> !text.isEmpty()).orElseThrow(() ->
                        new GoldcrestException(ErrorCode.INVALID_PARAMETER, "Account parameter is required on this system."));
                if (!ACCOUNT.matcher(value).matches()) {
                    throw new GoldcrestException(ErrorCode.INVALID_PARAMETER,
                            "The account '" + value + "' is not a valid account name (letters, digits, '_', '.', '-').");
                }
                directive = directive.replace(ACCOUNT_PLACEHOLDER, value);
            }
            if (directive.indexOf('\n') >= 0) {
                throw new IllegalArgumentException("a transfer job directive spans several lines");
            }
            script.append(directive).append('\n');
        }
        script.append("log() { echo \"$(date -u) $*\"; }\n")
                .append("log \"").append(job.jobName()).append(" Job (id:${SLURM_JOB_ID:-${PBS_JOBID:-unknown}})\"\n")
                .append("set -eo pipefail\n")
                .append(job.body());
        return script.toString();
    }
}
