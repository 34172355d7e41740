package io.c2cstream.engine.align;

import io.c2cstream.engine.tokenizer.TextTokenizer;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Maps receiver token ids to sharer token ids one for one (method §3.1): the receiver's tokens are
 * the base sequence and the sharer gets exactly one token per receiver token, so both caches have
 * the same length.
 *
 * <p>A receiver token's text ({@code decode} without skipping or clean-up) is re-encoded with the
 * sharer tokenizer; a single sharer token is taken as is, several are reduced by the {@link
 * AlignmentStrategy}, none give the fallback (the sharer's unk token, or id 0 when it has none, as
 * for Qwen and Llama 3). A receiver special token instead maps by role: pad, eos, bos and unk to the
 * sharer's token of the same role, else to the sharer token spelled the same, else to the fallback.
 *
 * <p>Results depend on the token id alone, so they are memoised per receiver id: the reference
 * memoises whole id sequences, which gives the same ids but grows with every distinct prompt.
 * Instances are safe for concurrent use if the tokenizers are.
 */
public final class TokenAligner {

    private final TextTokenizer receiver;
    private final TextTokenizer sharer;
    private final AlignmentStrategy strategy;
    private final Set<Integer> receiverSpecialIds;
    private final Map<Integer, Integer> sharerIdBySpecialRole;
    private final int fallbackId;
    private final Map<Integer, Integer> sharerIdByReceiverId = new ConcurrentHashMap<>();

    /**
     * @param receiver the tokenizer whose tokens are the base sequence
     * @param sharer the tokenizer the sequence is mapped into
     */
    public TokenAligner(TextTokenizer receiver, TextTokenizer sharer, AlignmentStrategy strategy) {
        this.receiver = Objects.requireNonNull(receiver, "receiver");
        this.sharer = Objects.requireNonNull(sharer, "sharer");
        this.strategy = Objects.requireNonNull(strategy, "strategy");
        this.receiverSpecialIds = receiverSpecialIds(receiver);
        this.sharerIdBySpecialRole = sharerIdBySpecialRole(receiver, sharer);
        this.fallbackId = TokenRoles.unk(sharer).orElse(0);
    }

    public TextTokenizer receiver() {
        return receiver;
    }

    public TextTokenizer sharer() {
        return sharer;
    }

    public AlignmentStrategy strategy() {
        return strategy;
    }

    /** One sharer id per receiver id, in order. */
    public int[] align(int[] receiverIds) {
        int[] sharerIds = new int[receiverIds.length];
        for (int i = 0; i < receiverIds.length; i++) {
            sharerIds[i] = sharerIdByReceiverId.computeIfAbsent(receiverIds[i], this::alignToken);
        }
        return sharerIds;
    }

    private int alignToken(int receiverId) {
        String text = receiver.decode(new int[] {receiverId});
        if (receiverSpecialIds.contains(receiverId)) {
            return alignSpecialToken(receiverId, text);
        }
        int[] candidates = sharer.encode(text);
        return switch (candidates.length) {
            case 0 -> fallbackId;
            case 1 -> candidates[0];
            default -> strategy == AlignmentStrategy.FIRST ? candidates[0] : longest(candidates);
        };
    }

    private int alignSpecialToken(int receiverId, String text) {
        Integer byRole = sharerIdBySpecialRole.get(receiverId);
        if (byRole != null) {
            return byRole;
        }
        return sharer.tokenToId(text).orElse(fallbackId);
    }

    /** The candidate with the longest decoded text in code points; strict '>' keeps the earliest. */
    private int longest(int[] candidates) {
        int best = candidates[0];
        int bestLength = 0;
        for (int candidate : candidates) {
            String text = sharer.decode(new int[] {candidate});
            int length = text.codePointCount(0, text.length());
            if (length > bestLength) {
                best = candidate;
                bestLength = length;
            }
        }
        return best;
    }

    /**
     * Receiver ids treated as special: the added tokens flagged special plus the named roles (pad
     * may be the eos token, see {@link TokenRoles#pad}).
     */
    private static Set<Integer> receiverSpecialIds(TextTokenizer receiver) {
        Set<Integer> ids = new HashSet<>(receiver.specialTokens().specialIds());
        for (Function<TextTokenizer, OptionalInt> role : roles()) {
            role.apply(receiver).ifPresent(ids::add);
        }
        return Set.copyOf(ids);
    }

    /**
     * Receiver role id to sharer role id, filled in the order pad, eos, bos, unk so that a later role
     * wins where two roles share a receiver id, even when that role has no sharer token (null): the
     * token then falls through to the lookup by spelling, as in the reference.
     */
    private static Map<Integer, Integer> sharerIdBySpecialRole(TextTokenizer receiver, TextTokenizer sharer) {
        Map<Integer, Integer> map = new HashMap<>();
        for (Function<TextTokenizer, OptionalInt> role : roles()) {
            OptionalInt receiverId = role.apply(receiver);
            OptionalInt sharerId = role.apply(sharer);
            if (receiverId.isPresent()) {
                map.put(receiverId.getAsInt(), sharerId.isPresent() ? sharerId.getAsInt() : null);
            }
        }
        return map;
    }

    private static List<Function<TextTokenizer, OptionalInt>> roles() {
        return List.of(TokenRoles::pad, TokenRoles::eos, TokenRoles::bos, TokenRoles::unk);
    }
}
