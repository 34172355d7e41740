package io.c2cstream.engine.zoo;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Trains a byte-level BPE model (GPT-2, Qwen and Llama 3 style) whose tokenization of chosen <em>protected
 * words</em> is fixed in advance.
 *
 * <p>Text is cut at the added tokens, split by the pre-tokenizer regex (Hugging Face's {@code Split},
 * {@code Isolated}) and written in the byte-level alphabet. Training then has two stages:
 * <ol>
 *   <li><b>Forced merges</b>, ranked first: every piece of a protected word becomes one token, shortest pieces
 *   first, each built right to left from the tokens the earlier merges give it. Ranking them first makes them
 *   win over everything learned later, so two tokenizers given the same protected words split those words
 *   identically however different the rest of their vocabularies.</li>
 *   <li><b>Learned merges</b>: the most frequent adjacent pair (at least twice; ties by spelling) is merged,
 *   as in standard BPE, until the requested number is reached or no pair repeats. A pair that would join two
 *   pieces of a protected word is never learned.</li>
 * </ol>
 * The result is checked: every protected word must encode as its pieces, else training fails with the word.
 */
public final class BpeTrainer {

    private static final int MIN_PAIR_COUNT = 2;

    private final Pattern split;
    private final Pattern addedTokens;

    /**
     * @param splitRegex  the pre-tokenizer regex, as written in {@code tokenizer.json}
     * @param addedTokens tokens matched before pre-tokenization (special tokens); text is cut around them
     */
    public BpeTrainer(String splitRegex, List<String> addedTokens) {
        this.split = Pattern.compile(splitRegex, Pattern.UNICODE_CHARACTER_CLASS);
        // "(?!)" never matches: without added tokens the text is one segment.
        this.addedTokens = Pattern.compile(addedTokens.isEmpty() ? "(?!)"
                : addedTokens.stream().map(Pattern::quote).collect(Collectors.joining("|")));
    }

    /**
     * @param texts          the training text, special tokens written out
     * @param protectedWords words given as their pieces ({@code [" Ke", "do"]}); each piece becomes one token
     * @param learnedMerges  how many merges to learn after the forced ones, at most
     */
    public BpeModel train(Iterable<String> texts, List<List<String>> protectedWords, int learnedMerges) {
        List<List<String>> protectedTokens = protectedWords.stream()
                .map(pieces -> pieces.stream().map(ByteLevel::encode).toList())
                .toList();
        BpeMerges merges = forcedMerges(protectedTokens);
        Set<String> forbidden = new HashSet<>();
        for (List<String> pieces : protectedTokens) {
            for (int i = 0; i + 1 < pieces.size(); i++) {
                forbidden.add(BpeMerges.pair(pieces.get(i), pieces.get(i + 1)));
            }
        }
        Map<List<String>, Long> words = new HashMap<>();
        countWords(texts).forEach((word, count) -> words.merge(merges.encode(word), count, Long::sum));
        for (int learned = 0; learned < learnedMerges; learned++) {
            String best = mostFrequentPair(words, forbidden);
            if (best == null) {
                break;
            }
            String[] sides = best.split(" ");
            merges.add(sides[0], sides[1]);
            Map<List<String>, Long> mergedWords = new HashMap<>();
            words.forEach((tokens, count) -> mergedWords.merge(merge(tokens, sides[0], sides[1]), count, Long::sum));
            words.clear();
            words.putAll(mergedWords);
        }
        check(merges, protectedTokens);
        return new BpeModel(vocabulary(merges), merges.list());
    }

    /** Pre-tokenized words of the texts, in the byte-level alphabet, with their counts (sorted for stability). */
    private Map<String, Long> countWords(Iterable<String> texts) {
        Map<String, Long> counts = new TreeMap<>();
        for (String text : texts) {
            for (String segment : addedTokens.split(text)) {
                Matcher matcher = split.matcher(segment);
                while (matcher.find()) {
                    counts.merge(ByteLevel.encode(matcher.group()), 1L, Long::sum);
                }
            }
        }
        return counts;
    }

    private static BpeMerges forcedMerges(List<List<String>> protectedTokens) {
        Set<String> pieces = new LinkedHashSet<>();
        protectedTokens.forEach(pieces::addAll);
        List<String> ordered = pieces.stream()
                .sorted(Comparator.comparingInt(String::length).thenComparing(Comparator.naturalOrder()))
                .toList();
        BpeMerges merges = new BpeMerges();
        for (String piece : ordered) {
            List<String> tokens = merges.encode(piece);
            // Right to left, so that every new merge joins a token with a suffix of the piece: it can join
            // the two pieces of a protected word only if this piece ends with that whole word.
            String right = tokens.get(tokens.size() - 1);
            for (int i = tokens.size() - 2; i >= 0; i--) {
                merges.add(tokens.get(i), right);
                right = tokens.get(i) + right;
            }
            if (merges.encode(piece).size() != 1) {
                throw new IllegalStateException("cannot make '" + piece + "' one token: it encodes as "
                        + merges.encode(piece));
            }
        }
        return merges;
    }

    /** The most frequent allowed pair occurring at least {@value #MIN_PAIR_COUNT} times; ties by spelling. */
    private static String mostFrequentPair(Map<List<String>, Long> words, Set<String> forbidden) {
        Map<String, Long> pairs = new HashMap<>();
        words.forEach((tokens, count) -> {
            for (int i = 0; i + 1 < tokens.size(); i++) {
                pairs.merge(BpeMerges.pair(tokens.get(i), tokens.get(i + 1)), count, Long::sum);
            }
        });
        String best = null;
        long bestCount = MIN_PAIR_COUNT - 1;
        for (Map.Entry<String, Long> entry : pairs.entrySet()) {
            String pair = entry.getKey();
            long count = entry.getValue();
            boolean better = count > bestCount || best != null && count == bestCount && pair.compareTo(best) < 0;
            if (better && !forbidden.contains(pair)) {
                best = pair;
                bestCount = count;
            }
        }
        return best;
    }

    /** {@code tokens} with every occurrence of the pair merged, left to right. */
    private static List<String> merge(List<String> tokens, String left, String right) {
        List<String> merged = new ArrayList<>(tokens.size());
        for (int i = 0; i < tokens.size(); i++) {
            if (i + 1 < tokens.size() && tokens.get(i).equals(left) && tokens.get(i + 1).equals(right)) {
                merged.add(left + right);
                i++;
            } else {
                merged.add(tokens.get(i));
            }
        }
        return merged;
    }

    private static void check(BpeMerges merges, List<List<String>> protectedTokens) {
        for (List<String> pieces : protectedTokens) {
            List<String> tokens = merges.encode(String.join("", pieces));
            if (!tokens.equals(pieces)) {
                throw new IllegalStateException("protected word '" + String.join("", pieces) + "' encodes as "
                        + tokens + " instead of " + pieces + ": a forced merge of a longer piece joins its pieces");
            }
        }
    }

    /** The 256 byte tokens in byte order, then each merge result the first time it appears. */
    private static List<String> vocabulary(BpeMerges merges) {
        Set<String> tokens = new LinkedHashSet<>();
        for (int b = 0; b < 256; b++) {
            tokens.add(String.valueOf(ByteLevel.charOf(b)));
        }
        for (String merge : merges.list()) {
            tokens.add(merge.replace(" ", ""));
        }
        return List.copyOf(tokens);
    }
}
