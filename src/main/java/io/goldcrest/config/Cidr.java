package io.goldcrest.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Optional;
import java.util.regex.Pattern;

/** An address block such as {@code 10.0.0.0/8} or {@code 2001:db8::/32}; a bare address is a block of one. */
public final class Cidr {
    /** Literal addresses only: a host name here would be looked up, which config parsing must never do. */
    private static final Pattern LITERAL = Pattern.compile("[0-9A-Fa-f:.]+");

    private final byte[] network;
    private final int prefixLength;
    private final String text;

    private Cidr(byte[] network, int prefixLength, String text) {
        this.network = network;
        this.prefixLength = prefixLength;
        this.text = text;
    }

    /** @return empty when the text is not a literal address with an optional prefix length that fits it */
    public static Optional<Cidr> parse(String text) {
        String trimmed = text.trim();
        int slash = trimmed.indexOf('/');
        String address = slash < 0 ? trimmed : trimmed.substring(0, slash);
        if (!LITERAL.matcher(address).matches() || !(address.contains(".") || address.contains(":"))) {
            return Optional.empty();
        }
        byte[] bytes;
        try {
            bytes = InetAddress.getByName(address).getAddress();
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
        int length = bytes.length * 8;
        if (slash >= 0) {
            String suffix = trimmed.substring(slash + 1);
            if (!suffix.matches("\\d{1,3}")) {
                return Optional.empty();
            }
            length = Integer.parseInt(suffix);
            if (length > bytes.length * 8) {
                return Optional.empty();
            }
        }
        return Optional.of(new Cidr(mask(bytes, length), length, trimmed));
    }

    public boolean contains(InetAddress address) {
        byte[] bytes = address.getAddress();
        if (bytes.length != network.length) {
            // An IPv4 client seen on an IPv6 socket as ::ffff:a.b.c.d is compared as IPv4.
            if (bytes.length == 16 && network.length == 4 && isMappedV4(bytes)) {
                bytes = Arrays.copyOfRange(bytes, 12, 16);
            } else {
                return false;
            }
        }
        return Arrays.equals(mask(bytes, prefixLength), network);
    }

    private static boolean isMappedV4(byte[] bytes) {
        for (int index = 0; index < 10; index++) {
            if (bytes[index] != 0) {
                return false;
            }
        }
        return bytes[10] == (byte) 0xff && bytes[11] == (byte) 0xff;
    }

    private static byte[] mask(byte[] bytes, int length) {
        byte[] masked = bytes.clone();
        for (int bit = length; bit < masked.length * 8; bit++) {
            masked[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
        }
        return masked;
    }

    @Override
    public String toString() {
        return text;
    }
}
