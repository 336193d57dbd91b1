package io.goldcrest.filesystem;

/**
 * Part of a file, as head and tail return it.
 *
 * @param contentType {@code bytes} or {@code lines}
 */
public record Content(String content, String contentType, long startPosition, long endPosition) {}
