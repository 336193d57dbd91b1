package io.goldcrest.metrics;

/**
 * The process's metrics. Parts report what happened through these methods; the registry behind
 * them is rendered as Prometheus text. (Skeleton: filled in by the metrics work of issue 7.)
 */
public final class Metrics {
    public Metrics() {}

    /** A request refused by the gateway; {@code kind} is address, client, authorization, rate_limit or ssh_queue. */
    public void denied(String kind, String service) {
    }
}
