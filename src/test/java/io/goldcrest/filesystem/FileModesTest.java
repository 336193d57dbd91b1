package io.goldcrest.filesystem;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FileModesTest {
    @Test
    void modeStringsMatchLs() {
        assertThat(FileModes.type(0100644)).isEqualTo("-");
        assertThat(FileModes.type(0040755)).isEqualTo("d");
        assertThat(FileModes.type(0120777)).isEqualTo("l");
        assertThat(FileModes.type(0010644)).isEqualTo("p");
        assertThat(FileModes.type(0140755)).isEqualTo("s");
        assertThat(FileModes.permissions(0644)).isEqualTo("rw-r--r--");
        assertThat(FileModes.permissions(04755)).isEqualTo("rwsr-xr-x");
        assertThat(FileModes.permissions(04644)).isEqualTo("rwSr--r--");
        assertThat(FileModes.permissions(02750)).isEqualTo("rwxr-s---");
        assertThat(FileModes.permissions(01777)).isEqualTo("rwxrwxrwt");
        assertThat(FileModes.permissions(01776)).isEqualTo("rwxrwxrwT");
    }

    @Test
    void chmodModesAreValidatedBeforeAnythingRuns() {
        assertThat(FileModes.octal("755")).isEqualTo(0755);
        assertThat(FileModes.octal("4750")).isEqualTo(04750);
        assertThat(FileModes.octal("u+x")).isEqualTo(-1);
        assertThat(FileModes.isValid("u+x,g-w")).isTrue();
        assertThat(FileModes.isValid("a=rX")).isTrue();
        assertThat(FileModes.isValid("-w")).isTrue();
        assertThat(FileModes.isValid("=644")).isTrue();
        assertThat(FileModes.isValid("8")).isFalse();
        assertThat(FileModes.isValid("755; id")).isFalse();
        assertThat(FileModes.isValid("")).isFalse();
        assertThat(FileModes.isValid("--reference=/etc/shadow")).isFalse();
    }
}
