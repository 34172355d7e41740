package io.c2cstream.engine.zoo;

import java.nio.charset.StandardCharsets;

/**
 * GPT-2's byte-level alphabet, which byte-level BPE vocabularies (GPT-2, Qwen, Llama 3) are written in: every
 * UTF-8 byte is one printable character, so a space reads {@code Ġ} and a line break {@code Ċ}.
 */
final class ByteLevel {

    private static final char[] CHAR_OF_BYTE = charOfByte();

    private ByteLevel() {}

    /** The character standing for byte {@code b} (0-255). */
    static char charOf(int b) {
        return CHAR_OF_BYTE[b];
    }

    /** {@code text}'s UTF-8 bytes, one alphabet character each. */
    static String encode(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        StringBuilder out = new StringBuilder(bytes.length);
        for (byte b : bytes) {
            out.append(CHAR_OF_BYTE[b & 0xFF]);
        }
        return out.toString();
    }

    /** Printable Latin-1 bytes stand for themselves; the others are shifted to 256 and up, in byte order. */
    private static char[] charOfByte() {
        char[] chars = new char[256];
        int shifted = 0;
        for (int b = 0; b < 256; b++) {
            boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            chars[b] = printable ? (char) b : (char) (256 + shifted++);
        }
        return chars;
    }
}
