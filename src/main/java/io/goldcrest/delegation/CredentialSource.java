package io.goldcrest.delegation;

/** Gives the SSH identity to log in as an authenticated cluster user. */
public interface CredentialSource {
    /**
     * @throws io.goldcrest.error.GoldcrestException {@code NO_SSH_CREDENTIALS} when this source has nothing for the user
     */
    SshIdentity identityFor(String username);
}
