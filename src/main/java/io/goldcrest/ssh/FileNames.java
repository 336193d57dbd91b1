package io.goldcrest.ssh;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Unix file names are bytes, Java strings are UTF-16. A name is held as the UTF-8 decoding of its
 * bytes, with every byte that is not part of valid UTF-8 kept as the lone surrogate
 * {@code U+DC00 + byte} (Python's "surrogateescape", so pyfirecrest gets {@code os.fsencode}-able
 * names). {@link #toBytes} undoes {@link #fromBytes} exactly, so any name survives the round trip.
 */
public final class FileNames {
    private static final int ESCAPE_BASE = 0xDC00;

    private FileNames() {}

    /** True for a character in the range that stands for one raw, non-UTF-8 byte. */
    public static boolean isEscapedByte(char c) {
        return c >= 0xDC80 && c <= 0xDCFF;
    }

    /**
     * True when the character at {@code index} stands for a raw byte: in the escape range and not
     * the second half of a surrogate pair (U+1F4A9 is D83D DCA9, a real character).
     */
    public static boolean isEscapedByteAt(String text, int index) {
        return isEscapedByte(text.charAt(index)) && (index == 0 || !Character.isHighSurrogate(text.charAt(index - 1)));
    }

    public static String fromBytes(byte[] bytes) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        while (true) {
            CoderResult result = decoder.decode(in, out, true);
            if (result.isUnderflow()) {
                decoder.flush(out);
                break;
            }
            if (result.isError()) {
                // Escape the offending bytes one by one and carry on after them.
                for (int i = 0; i < result.length(); i++) {
                    out.put((char) (ESCAPE_BASE + (in.get() & 0xFF)));
                }
            }
        }
        out.flip();
        return out.toString();
    }

    public static byte[] toBytes(String name) {
        boolean plain = true;
        for (int i = 0; i < name.length() && plain; i++) {
            plain = !Character.isSurrogate(name.charAt(i));
        }
        if (plain) {
            return name.getBytes(StandardCharsets.UTF_8);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(name.length() + 8);
        int start = 0;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (isEscapedByteAt(name, i)) {
                out.writeBytes(name.substring(start, i).getBytes(StandardCharsets.UTF_8));
                out.write(c - ESCAPE_BASE);
                start = i + 1;
            }
        }
        out.writeBytes(name.substring(start).getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    /** The name as MINA's SFTP client sees it: one char per byte (it is set to ISO-8859-1). */
    static String toWire(String name) {
        return new String(toBytes(name), StandardCharsets.ISO_8859_1);
    }

    static String fromWire(String wire) {
        return fromBytes(wire.getBytes(StandardCharsets.ISO_8859_1));
    }
}
