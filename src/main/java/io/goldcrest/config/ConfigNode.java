package io.goldcrest.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A position in the YAML tree that knows its path, so every problem names the field it is about.
 * Keys are looked up by their snake_case name and, as FirecREST also accepts, by the camelCase form.
 * A wrong value is recorded as a problem and answered with the default, so reading goes on and
 * start-up can list every problem at once.
 */
final class ConfigNode {
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)?");

    private final JsonNode node;
    private final String path;
    private final Problems problems;

    ConfigNode(JsonNode node, String path, Problems problems) {
        this.node = node == null ? MissingNode.getInstance() : node;
        this.path = path;
        this.problems = problems;
    }

    String path() {
        return path;
    }

    boolean isPresent() {
        return !node.isMissingNode() && !node.isNull();
    }

    void problem(String reason) {
        problems.add(path, reason);
    }

    ConfigNode child(String snakeName) {
        String childPath = path.isEmpty() ? snakeName : path + "." + snakeName;
        if (!node.isObject()) {
            return new ConfigNode(MissingNode.getInstance(), childPath, problems);
        }
        JsonNode value = node.get(snakeName);
        if (value == null) {
            value = node.get(camelCase(snakeName));
        }
        return new ConfigNode(value, childPath, problems);
    }

    /** The first present child among the names (for legacy aliases); the first name's path if none is. */
    ConfigNode childOf(String... names) {
        for (String name : names) {
            ConfigNode candidate = child(name);
            if (candidate.isPresent()) {
                return candidate;
            }
        }
        return child(names[0]);
    }

    boolean isText() {
        return node.isTextual();
    }

    boolean isObject() {
        if (!isPresent()) {
            return false;
        }
        if (!node.isObject()) {
            problem("must be a mapping");
            return false;
        }
        return true;
    }

    Optional<String> optionalString() {
        if (!isPresent()) {
            return Optional.empty();
        }
        if (!node.isValueNode() || node.isBoolean()) {
            problem("must be a string");
            return Optional.empty();
        }
        return Optional.of(node.asText());
    }

    String requiredString() {
        Optional<String> value = optionalString();
        if (value.isEmpty() && !isPresent()) {
            problem("is required");
        } else if (value.isPresent() && value.get().isBlank()) {
            problem("must not be empty");
        }
        return value.orElse("");
    }

    String string(String defaultValue) {
        return optionalString().orElse(defaultValue);
    }

    boolean bool(boolean defaultValue) {
        if (!isPresent()) {
            return defaultValue;
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        String text = node.asText().trim().toLowerCase(Locale.ROOT);
        switch (text) {
            case "true", "yes", "on", "1" -> {
                return true;
            }
            case "false", "no", "off", "0" -> {
                return false;
            }
            default -> {
                problem("must be true or false, not '" + node.asText() + "'");
                return defaultValue;
            }
        }
    }

    long integer(long defaultValue, long min, long max) {
        if (!isPresent()) {
            return defaultValue;
        }
        long value;
        if (node.isIntegralNumber()) {
            value = node.longValue();
        } else if (node.isTextual() && node.asText().trim().matches("-?\\d+")) {
            value = Long.parseLong(node.asText().trim());
        } else {
            problem("must be an integer, not '" + node.asText() + "'");
            return defaultValue;
        }
        if (value < min || value > max) {
            problem("must be between " + min + " and " + max + ", not " + value);
            return defaultValue;
        }
        return value;
    }

    long requiredInteger(long min, long max) {
        if (!isPresent()) {
            problem("is required");
            return min;
        }
        return integer(min, min, max);
    }

    /** FirecREST fields: whole seconds as an integer. */
    Duration seconds(Duration defaultValue, long minSeconds, long maxSeconds) {
        return Duration.ofSeconds(integer(defaultValue.toSeconds(), minSeconds, maxSeconds));
    }

    /** Goldcrest fields: "30s", "5m", "2h", "1d", "500ms", or a bare integer meaning seconds. */
    Duration duration(Duration defaultValue, Duration min, Duration max) {
        if (!isPresent()) {
            return defaultValue;
        }
        Matcher matcher = DURATION.matcher(node.asText().trim());
        if (!node.isValueNode() || !matcher.matches()) {
            problem("must be a duration such as 30s, 5m or 2h, not '" + node.asText() + "'");
            return defaultValue;
        }
        long amount = Long.parseLong(matcher.group(1));
        String unit = matcher.group(2) == null ? "s" : matcher.group(2);
        Duration value = switch (unit) {
            case "ms" -> Duration.ofMillis(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            case "d" -> Duration.ofDays(amount);
            default -> Duration.ofSeconds(amount);
        };
        if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
            problem("must be between " + min + " and " + max + ", not " + value);
            return defaultValue;
        }
        return value;
    }

    <E extends Enum<E>> E enumValue(Class<E> type, E defaultValue, Function<E, String> spelling) {
        Optional<String> text = optionalString();
        if (text.isEmpty()) {
            if (defaultValue == null) {
                problem("is required");
            }
            return defaultValue;
        }
        List<String> allowed = new ArrayList<>();
        for (E constant : type.getEnumConstants()) {
            if (spelling.apply(constant).equalsIgnoreCase(text.get())) {
                return constant;
            }
            allowed.add(spelling.apply(constant));
        }
        problem("must be one of " + allowed + ", not '" + text.get() + "'");
        return defaultValue;
    }

    List<ConfigNode> list() {
        if (!isPresent()) {
            return List.of();
        }
        if (!node.isArray()) {
            problem("must be a list");
            return List.of();
        }
        List<ConfigNode> items = new ArrayList<>();
        for (int index = 0; index < node.size(); index++) {
            items.add(new ConfigNode(node.get(index), path + "[" + index + "]", problems));
        }
        return items;
    }

    List<String> stringList() {
        return list().stream().map(ConfigNode::optionalString).flatMap(Optional::stream).toList();
    }

    Map<String, ConfigNode> entries() {
        if (!isObject()) {
            return Map.of();
        }
        Map<String, ConfigNode> entries = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            entries.put(field.getKey(), new ConfigNode(field.getValue(), path + "." + field.getKey(), problems));
        }
        return entries;
    }

    /**
     * A secret value; as in FirecREST, {@code secret_file:/path} reads it from a file
     * (surrounding white space stripped).
     */
    Optional<Secret> optionalSecret() {
        Optional<String> text = optionalString();
        if (text.isEmpty()) {
            return Optional.empty();
        }
        String value = text.get();
        if (!value.startsWith("secret_file:")) {
            return Optional.of(new Secret(value));
        }
        Path file = Path.of(value.substring("secret_file:".length()).trim());
        try {
            return Optional.of(new Secret(Files.readString(file).strip()));
        } catch (IOException e) {
            problem("cannot read secret file " + file + " (" + e.getClass().getSimpleName() + ")");
            return Optional.empty();
        }
    }

    Secret requiredSecret() {
        if (!isPresent()) {
            problem("is required");
            return new Secret("");
        }
        return optionalSecret().orElse(new Secret(""));
    }

    static String camelCase(String snake) {
        StringBuilder builder = new StringBuilder(snake.length());
        boolean upper = false;
        for (char character : snake.toCharArray()) {
            if (character == '_') {
                upper = true;
            } else {
                builder.append(upper ? Character.toUpperCase(character) : character);
                upper = false;
            }
        }
        return builder.toString();
    }
}
