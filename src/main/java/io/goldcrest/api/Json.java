package io.goldcrest.api;

import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The one JSON mapper of the API layer. DTOs carry times as ISO strings, so no time module is needed. */
public final class Json {
    public static final ObjectMapper MAPPER = create();

    private Json() {}

    private static ObjectMapper create() {
        ObjectMapper mapper = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        mapper.getFactory().setCharacterEscapes(new SurrogateEscapes());
        return mapper;
    }

    /**
     * Writes every UTF-16 surrogate as a {@code \}{@code uXXXX} escape. File names that are not
     * UTF-8 carry their raw bytes as lone surrogates, which cannot be encoded as UTF-8 but are valid
     * JSON escapes (Python reads them back as surrogateescape characters). Pairs stay valid too.
     */
    private static final class SurrogateEscapes extends CharacterEscapes {
        private final int[] ascii = standardAsciiEscapesForJSON();

        @Override
        public int[] getEscapeCodesForAscii() {
            return ascii;
        }

        @Override
        public SerializableString getEscapeSequence(int ch) {
            if (ch >= Character.MIN_SURROGATE && ch <= Character.MAX_SURROGATE) {
                return new SerializedString(String.format("\\u%04x", ch));
            }
            return null;
        }
    }
}
