package io.goldcrest.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class FileNamesTest {
    @Test
    void validUtf8IsDecodedAsIs() {
        assertThat(FileNames.fromBytes("café ☃ 🎉".getBytes(StandardCharsets.UTF_8))).isEqualTo("café ☃ 🎉");
        assertThat(FileNames.toBytes("café ☃ 🎉")).isEqualTo("café ☃ 🎉".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void invalidBytesBecomeSurrogateEscapesAndComeBack() {
        byte[] latin1 = {'c', 'a', 'f', (byte) 0xE9, '.', 't', 'x', 't'};
        String name = FileNames.fromBytes(latin1);
        assertThat(name).isEqualTo("caf\udce9.txt");
        assertThat(FileNames.toBytes(name)).isEqualTo(latin1);
    }

    @Test
    void everyByteSequenceRoundTrips() {
        java.util.Random random = new java.util.Random(42);
        for (int round = 0; round < 2_000; round++) {
            byte[] bytes = new byte[random.nextInt(12)];
            random.nextBytes(bytes);
            assertThat(FileNames.toBytes(FileNames.fromBytes(bytes))).as("round %d", round).isEqualTo(bytes);
        }
    }

    @Test
    void encodedSurrogatesAndTruncatedSequencesAreEscapedBytewise() {
        byte[] encodedSurrogate = {(byte) 0xED, (byte) 0xB3, (byte) 0xBF};
        assertThat(FileNames.fromBytes(encodedSurrogate)).isEqualTo("\udced\udcb3\udcbf");
        byte[] truncated = {'x', (byte) 0xE2, (byte) 0x98};
        assertThat(FileNames.toBytes(FileNames.fromBytes(truncated))).isEqualTo(truncated);
    }

    @Test
    void wireFormIsOneCharPerByte() {
        String name = FileNames.fromBytes(new byte[] {'a', (byte) 0xFF, (byte) 0xC3, (byte) 0xA9});
        assertThat(FileNames.toWire(name)).isEqualTo("a\u00ff\u00c3\u00a9");
        assertThat(FileNames.fromWire(FileNames.toWire(name))).isEqualTo(name);
    }
}
