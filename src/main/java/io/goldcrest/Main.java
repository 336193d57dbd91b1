package io.goldcrest;

import io.goldcrest.config.ConfigException;
import io.goldcrest.config.ConfigLoader;
import io.goldcrest.config.GoldcrestConfig;
import java.nio.file.Path;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Starts Goldcrest: {@code java -jar goldcrest.jar CONFIG.yaml} (or GOLDCREST_CONFIG / YAML_CONFIG_FILE). */
public final class Main {
    private static final Logger LOG = LoggerFactory.getLogger(Main.class);

    private Main() {}

    public static void main(String[] args) {
        String file = args.length > 0 ? args[0] : firstNonEmpty(System.getenv("GOLDCREST_CONFIG"), System.getenv("YAML_CONFIG_FILE"));
        if (file == null) {
            System.err.println("usage: goldcrest CONFIG.yaml (or set GOLDCREST_CONFIG or YAML_CONFIG_FILE)");
            System.exit(2);
        }
        try {
            GoldcrestConfig config = ConfigLoader.load(Path.of(file));
            Goldcrest goldcrest = Goldcrest.start(config, Clock.systemUTC());
            Runtime.getRuntime().addShutdownHook(new Thread(goldcrest::close, "shutdown"));
            LOG.info("Goldcrest {} listening on http://{}:{} with systems {}", config.appVersion(), config.server().host(),
                    goldcrest.port(), config.clusters().stream().map(cluster -> cluster.name()).toList());
        } catch (ConfigException e) {
            System.err.println("Goldcrest cannot start: " + file + " is invalid:");
            e.problems().forEach(problem -> System.err.println("  " + problem));
            System.exit(2);
        }
    }

    private static String firstNonEmpty(String... values) {
        for (String value : values) {
            if (value != null && !value.isBlank()) {
                return value;
            }
        }
        return null;
    }
}
