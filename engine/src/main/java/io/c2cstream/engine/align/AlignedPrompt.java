package io.c2cstream.engine.align;

import io.c2cstream.engine.align.PromptSection.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * A chat prompt tokenized for a receiver and a sharer with different tokenizers, position by
 * position (method §3.2 steps 5 and 6).
 *
 * <p>Both id sequences have the same length and share one section list. In a template section each
 * model has its own template tokens, the shorter side right-padded with its pad id; in a message
 * section the sharer has exactly one token per receiver token ({@link TokenAligner}) and nothing is
 * padded. Both models take the same {@link #positions()} 0..length-1, so a model's padding slots
 * consume positions; padded slots must be masked out as attention keys of that model.
 */
public final class AlignedPrompt {

    private final int[] receiverIds;
    private final int[] sharerIds;
    private final boolean[] messageMask;
    private final boolean[] receiverPadding;
    private final boolean[] sharerPadding;
    private final List<PromptSection> sections;

    AlignedPrompt(int[] receiverIds, int[] sharerIds, boolean[] messageMask, boolean[] receiverPadding,
            boolean[] sharerPadding, List<PromptSection> sections) {
        this.receiverIds = receiverIds;
        this.sharerIds = sharerIds;
        this.messageMask = messageMask;
        this.receiverPadding = receiverPadding;
        this.sharerPadding = sharerPadding;
        this.sections = List.copyOf(sections);
    }

    /** Number of positions, padding included. */
    public int length() {
        return receiverIds.length;
    }

    /** The receiver's ids, its pad id in its padding slots. */
    public int[] receiverIds() {
        return receiverIds.clone();
    }

    /** The sharer's ids, its pad id in its padding slots. */
    public int[] sharerIds() {
        return sharerIds.clone();
    }

    /** True at the positions of message content, for both models. */
    public boolean[] messageMask() {
        return messageMask.clone();
    }

    /** True where the receiver has a padding slot (not to be attended to). */
    public boolean[] receiverPadding() {
        return receiverPadding.clone();
    }

    /** True where the sharer has a padding slot (not to be attended to). */
    public boolean[] sharerPadding() {
        return sharerPadding.clone();
    }

    /** The position ids of both models: 0..length-1 over the padded sequence. */
    public int[] positions() {
        return IntStream.range(0, length()).toArray();
    }

    /** Template and message sections in order, covering all positions. */
    public List<PromptSection> sections() {
        return sections;
    }

    /**
     * The inference {@code kv_cache_index} sections: each run of message positions is fused, each run
     * of template positions is not. The last section is normally the trailing template (the
     * generation prompt), which the receiver processes alone.
     */
    public List<FusionSection> inferenceSections() {
        List<FusionSection> runs = new ArrayList<>();
        int start = 0;
        for (int i = 1; i <= length(); i++) {
            if (i == length() || messageMask[i] != messageMask[start]) {
                runs.add(new FusionSection(start, i, messageMask[start]));
                start = i;
            }
        }
        return runs;
    }

    /**
     * Where a training sample's response starts: the first position of the last message section
     * (its content is the response to learn; labels before it are ignored).
     *
     * @throws IllegalStateException when the prompt has no message section
     */
    public int instructionEnd() {
        for (int i = sections.size() - 1; i >= 0; i--) {
            if (sections.get(i).kind() == Kind.MESSAGE) {
                return sections.get(i).start();
            }
        }
        throw new IllegalStateException("the prompt has no message section, so no response to train on:"
                + " give the conversation a final non-empty message");
    }

    /**
     * Per position, whether a training sample's cache is fused there: positions before the last
     * instruction token ({@code instructionEnd() - 1}, method §4.2) that hold message content.
     */
    public boolean[] trainingFusionMask() {
        boolean[] fused = new boolean[length()];
        int instructionEnd = instructionEnd();
        for (int i = 0; i < instructionEnd - 1; i++) {
            fused[i] = messageMask[i];
        }
        return fused;
    }
}
