package io.sealroom.client;

/**
 * @param enabled the server's {@code e2e.enabled}
 * @param hasKeys the user has stored keys on the server (set up on some device)
 * @param unlocked this client holds the unwrapped private keys
 */
public record E2eStatus(boolean enabled, boolean hasKeys, boolean unlocked) {
}
