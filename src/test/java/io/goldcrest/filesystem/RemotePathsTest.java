package io.goldcrest.filesystem;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RemotePathsTest {
    @Test
    void normalisesAsPosixpathDoes() {
        assertThat(RemotePaths.normalize("/home//alice/./x/../y/")).isEqualTo("/home/alice/y");
        assertThat(RemotePaths.normalize("/home/../etc/passwd")).isEqualTo("/etc/passwd");
        assertThat(RemotePaths.normalize("/../..")).isEqualTo("/");
    }

    @Test
    void underMeansEqualOrBelowAWholeComponent() {
        assertThat(RemotePaths.isUnder("/home", "/home")).isTrue();
        assertThat(RemotePaths.isUnder("/home/alice", "/home/")).isTrue();
        assertThat(RemotePaths.isUnder("/homework", "/home")).isFalse();
        assertThat(RemotePaths.isUnder("/etc", "/")).isTrue();
    }

    @Test
    void splitsParentAndNameIgnoringTrailingSlashes() {
        assertThat(RemotePaths.split("/a/b/")).containsExactly("/a", "b");
        assertThat(RemotePaths.split("/b")).containsExactly("/", "b");
        assertThat(RemotePaths.split("/")).containsExactly("/", ".");
        assertThat(RemotePaths.join("/a/", "b")).isEqualTo("/a/b");
    }
}
