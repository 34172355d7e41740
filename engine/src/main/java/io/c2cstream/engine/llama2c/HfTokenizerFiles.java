package io.c2cstream.engine.llama2c;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.c2cstream.engine.checkpoint.CheckpointException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes {@code tokenizer.json} and {@code tokenizer_config.json} that make Hugging Face tokenizers encode like
 * {@link Llama2cTokenizer#encode}: a byte-fallback BPE over the same pieces (' ' spelled '▁'), after the
 * SentencePiece normalization (prepend '▁', spaces to '▁').
 *
 * <p>Merges: llama2.c merges, at each step, the adjacent pair whose concatenation is the highest-scoring piece
 * (leftmost on ties); Hugging Face merges the adjacent pair of lowest rank (leftmost among equal ranks, i.e. the
 * same pair twice). Listing every pair whose concatenation is a piece, ranked by that piece's score, best first,
 * makes both choose the same piece at every step, and equal-score merges at disjoint places commute. They differ
 * only where two different pairs of equal score overlap ({@code x|y} and {@code y|z}): llama2.c takes the left
 * one, Hugging Face the one ranked first. Within one piece, longer left parts rank first, which picks the left
 * pair when {@code y} is the shorter part (in [il, i, li], "il"+"i" before "i"+"li").
 *
 * <p>Known differences left, as in every Hugging Face Llama tokenizer: text that spells a special token
 * ("&lt;s&gt;") encodes to it, and a literal '▁' in the text reads as a space.
 */
final class HfTokenizerFiles {
    private static final String TOKENIZER = "tokenizer.json";
    private static final String TOKENIZER_CONFIG = "tokenizer_config.json";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SPACE = "\u2581";
    /** llama2.c's export renamed these ("\n<s>\n" ...); Hugging Face uses SentencePiece's own names. */
    private static final String[] CONTROL_PIECES = {"<unk>", "<s>", "</s>"};

    private record Merge(int left, int right, int merged) {}

    private HfTokenizerFiles() {}

    /** Writes both files into {@code dir} and returns the number of merges. */
    static int write(Llama2cTokenizer tokenizer, int modelMaxLength, Path dir) {
        String[] hfPieces = hfPieces(tokenizer);
        List<Merge> merges = merges(tokenizer);
        try {
            JSON.writerWithDefaultPrettyPrinter().writeValue(dir.resolve(TOKENIZER).toFile(),
                    tokenizerJson(hfPieces, merges));
            JSON.writerWithDefaultPrettyPrinter().writeValue(dir.resolve(TOKENIZER_CONFIG).toFile(),
                    tokenizerConfig(modelMaxLength));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the tokenizer files to " + dir, e);
        }
        return merges.size();
    }

    private static String[] hfPieces(Llama2cTokenizer tokenizer) {
        String[] out = new String[tokenizer.vocabSize()];
        Map<String, Integer> seen = new HashMap<>();
        for (int id = 0; id < out.length; id++) {
            out[id] = id < CONTROL_PIECES.length ? CONTROL_PIECES[id] : tokenizer.piece(id).replace(" ", SPACE);
            Integer previous = seen.putIfAbsent(out[id], id);
            if (previous != null) {
                throw new CheckpointException("the tokenizer has piece '" + out[id] + "' at ids " + previous + " and "
                        + id + "; a tokenizer.json vocabulary maps each piece to one id, so it cannot be converted");
            }
        }
        return out;
    }

    /** Every split of a piece into two pieces, ranked as the class comment explains; control ids never merge. */
    private static List<Merge> merges(Llama2cTokenizer tokenizer) {
        List<Merge> merges = new ArrayList<>();
        for (int merged = Llama2cTokenizer.FIRST_BYTE_ID; merged < tokenizer.vocabSize(); merged++) {
            String piece = tokenizer.piece(merged);
            if (tokenizer.score(merged) <= Llama2cTokenizer.MERGE_SCORE_FLOOR) {
                continue;
            }
            for (int split = piece.offsetByCodePoints(0, 1); split < piece.length();
                 split = piece.offsetByCodePoints(split, 1)) {
                int left = tokenizer.lookup(piece.substring(0, split));
                int right = tokenizer.lookup(piece.substring(split));
                if (left >= Llama2cTokenizer.FIRST_BYTE_ID && right >= Llama2cTokenizer.FIRST_BYTE_ID) {
                    merges.add(new Merge(left, right, merged));
                }
            }
        }
        merges.sort(Comparator.comparingDouble((Merge m) -> -tokenizer.score(m.merged))
                .thenComparingInt(Merge::merged)
                .thenComparingInt(m -> -tokenizer.piece(m.left).length()));
        return merges;
    }

    private static ObjectNode tokenizerJson(String[] pieces, List<Merge> merges) {
        ObjectNode root = JSON.createObjectNode();
        root.put("version", "1.0");
        root.putNull("truncation");
        root.putNull("padding");
        ArrayNode added = root.putArray("added_tokens");
        for (int id = 0; id < CONTROL_PIECES.length; id++) {
            added.addObject().put("id", id).put("content", CONTROL_PIECES[id]).put("single_word", false)
                    .put("lstrip", false).put("rstrip", false).put("normalized", false).put("special", true);
        }
        ArrayNode normalizers = root.putObject("normalizer").put("type", "Sequence").putArray("normalizers");
        normalizers.addObject().put("type", "Prepend").put("prepend", SPACE);
        normalizers.add(replace(" ", SPACE));
        root.putNull("pre_tokenizer");
        root.set("post_processor", prependBos());
        ArrayNode decoders = root.putObject("decoder").put("type", "Sequence").putArray("decoders");
        decoders.add(replace(SPACE, " "));
        decoders.addObject().put("type", "ByteFallback");
        decoders.addObject().put("type", "Fuse");
        decoders.addObject().put("type", "Strip").put("content", " ").put("start", 1).put("stop", 0);

        ObjectNode model = root.putObject("model");
        model.put("type", "BPE").putNull("dropout");
        model.put("unk_token", CONTROL_PIECES[Llama2cTokenizer.UNK_ID]);
        model.putNull("continuing_subword_prefix").putNull("end_of_word_suffix");
        model.put("fuse_unk", true).put("byte_fallback", true).put("ignore_merges", false);
        ObjectNode vocab = model.putObject("vocab");
        for (int id = 0; id < pieces.length; id++) {
            vocab.put(pieces[id], id);
        }
        ArrayNode mergeList = model.putArray("merges");
        merges.forEach(m -> mergeList.addArray().add(pieces[m.left]).add(pieces[m.right]));
        return root;
    }

    private static ObjectNode replace(String pattern, String content) {
        ObjectNode node = JSON.createObjectNode().put("type", "Replace");
        node.putObject("pattern").put("String", pattern);
        return node.put("content", content);
    }

    /** BOS before each sequence, as Llama tokenizers add it; callers turn it off with add_special_tokens=false. */
    private static ObjectNode prependBos() {
        String bos = CONTROL_PIECES[Llama2cTokenizer.BOS_ID];
        ObjectNode node = JSON.createObjectNode().put("type", "TemplateProcessing");
        ArrayNode single = node.putArray("single");
        single.addObject().putObject("SpecialToken").put("id", bos).put("type_id", 0);
        single.addObject().putObject("Sequence").put("id", "A").put("type_id", 0);
        ArrayNode pair = node.putArray("pair");
        pair.add(single.get(0).deepCopy()).add(single.get(1).deepCopy());
        pair.addObject().putObject("SpecialToken").put("id", bos).put("type_id", 1);
        pair.addObject().putObject("Sequence").put("id", "B").put("type_id", 1);
        ObjectNode special = node.putObject("special_tokens").putObject(bos);
        special.put("id", bos);
        special.putArray("ids").add(Llama2cTokenizer.BOS_ID);
        special.putArray("tokens").add(bos);
        return node;
    }

    private static ObjectNode tokenizerConfig(int modelMaxLength) {
        return JSON.createObjectNode()
                .put("tokenizer_class", "LlamaTokenizerFast")
                .put("add_bos_token", true)
                .put("add_eos_token", false)
                .put("bos_token", CONTROL_PIECES[Llama2cTokenizer.BOS_ID])
                .put("eos_token", CONTROL_PIECES[Llama2cTokenizer.EOS_ID])
                .put("unk_token", CONTROL_PIECES[Llama2cTokenizer.UNK_ID])
                .put("model_max_length", modelMaxLength)
                // decode must give back the text exactly, spaces before punctuation included
                .put("clean_up_tokenization_spaces", false)
                .put("legacy", true);
    }
}
