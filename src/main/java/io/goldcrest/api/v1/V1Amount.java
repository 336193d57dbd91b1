package io.goldcrest.api.v1;

import io.goldcrest.error.ErrorCode;
import io.goldcrest.error.GoldcrestException;
import java.math.BigInteger;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How much {@code /utilities/head} and {@code /utilities/tail} return: v1 passes its {@code bytes} or
 * {@code lines} string to coreutils, so it takes coreutils' numbers: digits with an optional unit,
 * {@code b} (512), {@code K}/{@code KiB} (1024), {@code kB} (1000), {@code M}, {@code MB} and so on up
 * to {@code Y}. Read here once, into a count, so nothing but digits reaches the command line.
 *
 * @param bytes whether the count is of bytes (else lines)
 * @param count the number, at most {@link Long#MAX_VALUE} (larger ones mean "all", as for coreutils)
 */
record V1Amount(boolean bytes, long count) {
    /** What head and tail return when neither {@code bytes} nor {@code lines} is given. */
    static final V1Amount TEN_LINES = new V1Amount(false, 10);

    private static final Pattern FORMAT = Pattern.compile("([0-9]+)(?:(b)|([kKmMGTPEZY])(iB|B)?)?");
    private static final Map<Character, Integer> POWERS = Map.of('k', 1, 'K', 1, 'm', 2, 'M', 2, 'G', 3, 'T', 4,
            'P', 5, 'E', 6, 'Z', 7, 'Y', 8);
    private static final BigInteger MAX = BigInteger.valueOf(Long.MAX_VALUE);

    V1Amount {
        if (count < 0) {
            throw new IllegalArgumentException("count must not be negative: " + count);
        }
    }

    /**
     * @param name {@code bytes} or {@code lines}, the parameter the value came in
     * @throws GoldcrestException {@code INVALID_PARAMETER} naming the value, as coreutils would
     */
    static V1Amount parse(String name, String value) {
        Matcher matcher = FORMAT.matcher(value.strip());
        if (!matcher.matches()) {
            throw new GoldcrestException(ErrorCode.INVALID_PARAMETER, "invalid number of " + name + ": '" + value + "'");
        }
        BigInteger count = new BigInteger(matcher.group(1));
        if (matcher.group(2) != null) {
            count = count.multiply(BigInteger.valueOf(512));
        } else if (matcher.group(3) != null) {
            int base = "B".equals(matcher.group(4)) ? 1000 : 1024;
            count = count.multiply(BigInteger.valueOf(base).pow(POWERS.get(matcher.group(3).charAt(0))));
        }
        return new V1Amount(name.equals("bytes"), count.min(MAX).longValueExact());
    }
}
