package io.c2cstream.engine.llama2c;

import io.c2cstream.engine.checkpoint.CheckpointException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A llama2.c {@code tokenizer.bin}: SentencePiece pieces (with '▁' already turned into ' ') and their scores.
 * {@link #encode} and {@link #decode} follow llama2.c's {@code run.c} step by step, so that they can serve as the
 * reference for any other implementation of these vocabularies.
 */
public final class Llama2cTokenizer {
    public static final int UNK_ID = 0;
    public static final int BOS_ID = 1;
    public static final int EOS_ID = 2;
    /** Ids 3..258 are the byte-fallback pieces {@code <0x00>}..{@code <0xFF>}. */
    public static final int FIRST_BYTE_ID = 3;
    /** run.c looks for the best merge starting from this score, so pieces scored at or below it never merge. */
    static final float MERGE_SCORE_FLOOR = -1e10f;

    private final String[] pieces;
    private final float[] scores;
    private final int maxTokenLength;
    private final Map<String, Integer> idByPiece = new HashMap<>();

    private Llama2cTokenizer(String[] pieces, float[] scores, int maxTokenLength) {
        this.pieces = pieces;
        this.scores = scores;
        this.maxTokenLength = maxTokenLength;
        for (int id = 0; id < pieces.length; id++) {
            idByPiece.putIfAbsent(pieces[id], id);
        }
    }

    /** Reads a tokenizer file: int32 max piece length, then per piece a float32 score, an int32 byte length, the bytes. */
    public static Llama2cTokenizer read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new CheckpointException("llama2.c tokenizer " + file + " does not exist or is not a file");
        }
        ByteBuffer in;
        try {
            in = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read llama2.c tokenizer " + file, e);
        }
        List<String> pieces = new ArrayList<>();
        List<Float> scores = new ArrayList<>();
        try {
            int maxTokenLength = in.getInt();
            if (maxTokenLength <= 0) {
                throw notATokenizer(file, "its max token length is " + maxTokenLength);
            }
            var utf8 = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
            while (in.hasRemaining()) {
                float score = in.getFloat();
                int length = in.getInt();
                if (Float.isNaN(score) || length <= 0 || length > maxTokenLength) {
                    throw notATokenizer(file, "token " + pieces.size() + " has score " + score + " and byte length "
                            + length + " (max token length " + maxTokenLength + ")");
                }
                byte[] bytes = new byte[length];
                in.get(bytes);
                try {
                    pieces.add(utf8.decode(ByteBuffer.wrap(bytes)).toString());
                } catch (CharacterCodingException e) {
                    throw notATokenizer(file, "token " + pieces.size() + " is not valid UTF-8");
                }
                scores.add(score);
            }
            float[] scoreArray = new float[scores.size()];
            for (int i = 0; i < scoreArray.length; i++) {
                scoreArray[i] = scores.get(i);
            }
            checkBytePieces(file, pieces);
            return new Llama2cTokenizer(pieces.toArray(String[]::new), scoreArray, maxTokenLength);
        } catch (BufferUnderflowException e) {
            throw notATokenizer(file, "it ends inside token " + pieces.size() + " (truncated?)");
        }
    }

    /** Byte fallback in {@link #encode} maps byte b to id b + 3, which only holds in SentencePiece's layout. */
    private static void checkBytePieces(Path file, List<String> pieces) {
        for (int b = 0; b < 256; b++) {
            int id = FIRST_BYTE_ID + b;
            String expected = String.format("<0x%02X>", b);
            if (id >= pieces.size() || !pieces.get(id).equals(expected)) {
                throw notATokenizer(file, "id " + id + " should be the byte-fallback piece " + expected
                        + " but is " + (id < pieces.size() ? "'" + pieces.get(id) + "'" : "missing"));
            }
        }
    }

    private static CheckpointException notATokenizer(Path file, String detail) {
        return new CheckpointException(file + " is not a llama2.c tokenizer.bin: " + detail
                + ". Pass the tokenizer exported for this model (e.g. tok512.bin next to stories260K.bin).");
    }

    public int vocabSize() {
        return pieces.length;
    }

    /** The piece as llama2.c stores it: spaces instead of '▁', and "\n<s>\n" / "\n</s>\n" for BOS and EOS. */
    public String piece(int id) {
        return pieces[id];
    }

    /** The id of {@code piece}, or -1 when it is not in the vocabulary (run.c's {@code str_lookup}). */
    public int lookup(String piece) {
        return idByPiece.getOrDefault(piece, -1);
    }

    public float score(int id) {
        return scores[id];
    }

    public int maxTokenLength() {
        return maxTokenLength;
    }

    /**
     * llama2.c's {@code encode} without BOS or EOS: a dummy " " before non-empty text, one token per code point
     * (its UTF-8 bytes as byte-fallback ids when the code point is not a piece), then repeatedly the merge of the
     * adjacent pair whose concatenation is the highest-scoring piece, the leftmost on ties.
     */
    public int[] encode(String text) {
        List<Integer> tokens = new ArrayList<>();
        String withPrefix = text.isEmpty() ? text : " " + text;
        withPrefix.codePoints().forEach(cp -> {
            String symbol = new String(Character.toChars(cp));
            int id = lookup(symbol);
            if (id >= 0) {
                tokens.add(id);
            } else {
                for (byte b : symbol.getBytes(StandardCharsets.UTF_8)) {
                    tokens.add(FIRST_BYTE_ID + (b & 0xff));
                }
            }
        });
        while (true) {
            float bestScore = MERGE_SCORE_FLOOR;
            int bestId = -1;
            int bestIndex = -1;
            for (int i = 0; i + 1 < tokens.size(); i++) {
                int merged = lookup(pieces[tokens.get(i)] + pieces[tokens.get(i + 1)]);
                if (merged >= 0 && scores[merged] > bestScore) {
                    bestScore = scores[merged];
                    bestId = merged;
                    bestIndex = i;
                }
            }
            if (bestIndex < 0) {
                break;
            }
            tokens.set(bestIndex, bestId);
            tokens.remove(bestIndex + 1);
        }
        return tokens.stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * The text of {@code ids}: byte-fallback pieces become their raw bytes, BOS/EOS/unk become nothing, and the
     * leading space that {@link #encode} prepends is dropped (llama2.c drops it after BOS), so that
     * {@code decode(encode(text))} is {@code text}.
     */
    public String decode(int[] ids) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int id : ids) {
            if (id < FIRST_BYTE_ID) {
                continue;
            }
            if (id < FIRST_BYTE_ID + 256) {
                bytes.write(id - FIRST_BYTE_ID);
            } else {
                bytes.writeBytes(pieces[id].getBytes(StandardCharsets.UTF_8));
            }
        }
        String text = bytes.toString(StandardCharsets.UTF_8);
        return text.startsWith(" ") ? text.substring(1) : text;
    }
}
