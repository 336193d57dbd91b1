package io.goldcrest.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.goldcrest.error.ErrorCode;
import io.goldcrest.error.GoldcrestException;
import org.junit.jupiter.api.Test;

/** v1's error headers for the failures of file commands, chosen by the tools' phrases only. */
class V1HeaderTest {
    private static ErrorMapper.V1Header header(ErrorCode code, String message) {
        return ErrorMapper.v1Header(new GoldcrestException(code, message));
    }

    private static String failure(String stderr) {
        return "Remote process failed with exit status:1 and error message:" + stderr;
    }

    @Test
    void conflictsAreToldByTheToolsPhraseNotByWordsInThePath() {
        assertThat(header(ErrorCode.PATH_CONFLICT, failure("mkdir: cannot create directory '/h/invalid group owner mode': File exists")).name())
                .isEqualTo("X-Exists");
        assertThat(header(ErrorCode.PATH_CONFLICT, failure("chown: invalid user: 'zed'")).name()).isEqualTo("X-Invalid-Owner");
        assertThat(header(ErrorCode.PATH_CONFLICT, failure("chown: invalid group: 'alice:zed'")).name()).isEqualTo("X-Invalid-Group");
        assertThat(header(ErrorCode.PATH_CONFLICT, failure("something about the owner")).name()).isEqualTo("X-Error");
    }

    @Test
    void directoriesWhereFilesWereExpectedAndModes() {
        assertThat(header(ErrorCode.REMOTE_COMMAND_FAILED, failure("sha256sum: /h/d: Is a directory")).name()).isEqualTo("X-A-Directory");
        assertThat(header(ErrorCode.REMOTE_COMMAND_FAILED, failure("mkdir: cannot create directory '/h/f/x': Not a directory")).name())
                .isEqualTo("X-Not-A-Directory");
        assertThat(header(ErrorCode.REMOTE_COMMAND_FAILED, failure("tar: something else")).name()).isEqualTo("X-Error");
        assertThat(header(ErrorCode.INVALID_PARAMETER, "Invalid mode (abc): give octal digits such as 755").name()).isEqualTo("X-Invalid-Mode");
        assertThat(header(ErrorCode.INVALID_PARAMETER, "'mode' not specified").name()).isNull();
    }
}
