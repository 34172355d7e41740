package io.c2cstream.engine.zoo;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An ordered list of BPE merges and the encoding it implies for one pre-tokenized word: repeatedly merge the
 * adjacent pair of lowest rank, the leftmost where it occurs twice, as the Hugging Face BPE model does.
 */
final class BpeMerges {

    private final List<String> merges = new ArrayList<>();
    private final Map<String, Integer> rankOfPair = new HashMap<>();

    /** Appends {@code left + right} as the merge of next rank; false when the pair is already a merge. */
    boolean add(String left, String right) {
        String pair = pair(left, right);
        if (rankOfPair.containsKey(pair)) {
            return false;
        }
        rankOfPair.put(pair, merges.size());
        merges.add(pair);
        return true;
    }

    boolean contains(String left, String right) {
        return rankOfPair.containsKey(pair(left, right));
    }

    /** The merges in rank order, each {@code "left right"}. */
    List<String> list() {
        return List.copyOf(merges);
    }

    int size() {
        return merges.size();
    }

    /** The tokens of a word given in the byte-level alphabet. */
    List<String> encode(String word) {
        List<String> symbols = new ArrayList<>(word.length());
        word.codePoints().forEach(c -> symbols.add(Character.toString(c)));
        while (symbols.size() > 1) {
            int best = -1;
            int bestRank = Integer.MAX_VALUE;
            for (int i = 0; i + 1 < symbols.size(); i++) {
                Integer rank = rankOfPair.get(pair(symbols.get(i), symbols.get(i + 1)));
                if (rank != null && rank < bestRank) {
                    best = i;
                    bestRank = rank;
                }
            }
            if (best < 0) {
                break;
            }
            symbols.set(best, symbols.get(best) + symbols.remove(best + 1));
        }
        return symbols;
    }

    /** Byte-level tokens never hold a space, so a space separates the two sides unambiguously. */
    static String pair(String left, String right) {
        return left + " " + right;
    }
}
