package io.goldcrest.filesystem;

import io.goldcrest.ssh.FileAttributes;
import java.util.regex.Pattern;

/** The mode strings {@code ls -l} prints, and the mode arguments {@code chmod} accepts. */
final class FileModes {
    private static final Pattern OCTAL = Pattern.compile("[0-7]{1,4}");
    /** chmod(1)'s symbolic grammar: {@code [ugoa]*([-+=]([rwxXst]*|[ugo]))+}, comma-separated. */
    private static final Pattern SYMBOLIC = Pattern.compile("[ugoa]*([-+=]([rwxXst]*|[ugo]))+(,[ugoa]*([-+=]([rwxXst]*|[ugo]))+)*");
    /** GNU chmod also takes {@code =} / {@code +} / {@code -} followed by octal digits. */
    private static final Pattern OPERATOR_OCTAL = Pattern.compile("[-+=][0-7]{1,4}");

    private FileModes() {}

    static String type(int mode) {
        return switch (mode & FileAttributes.TYPE_MASK) {
            case 0040000 -> "d";
            case 0120000 -> "l";
            case 0020000 -> "c";
            case 0060000 -> "b";
            case 0010000 -> "p";
            case 0140000 -> "s";
            default -> "-";
        };
    }

    /** The nine permission characters of {@code ls -l}, with setuid, setgid and sticky folded in. */
    static String permissions(int mode) {
        char[] out = new char[9];
        String letters = "rwxrwxrwx";
        for (int i = 0; i < 9; i++) {
            out[i] = (mode & (1 << (8 - i))) != 0 ? letters.charAt(i) : '-';
        }
        special(out, 2, (mode & 04000) != 0, 's');
        special(out, 5, (mode & 02000) != 0, 's');
        special(out, 8, (mode & 01000) != 0, 't');
        return new String(out);
    }

    private static void special(char[] out, int index, boolean set, char letter) {
        if (set) {
            out[index] = out[index] == 'x' ? letter : Character.toUpperCase(letter);
        }
    }

    /** @return the permission bits of an octal mode such as {@code 755}, or -1 for a symbolic one */
    static int octal(String mode) {
        return OCTAL.matcher(mode).matches() ? Integer.parseInt(mode, 8) : -1;
    }

    static boolean isValid(String mode) {
        return OCTAL.matcher(mode).matches() || SYMBOLIC.matcher(mode).matches() || OPERATOR_OCTAL.matcher(mode).matches();
    }
}
