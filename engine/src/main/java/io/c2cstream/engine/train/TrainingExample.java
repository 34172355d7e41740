package io.c2cstream.engine.train;

/**
 * One supervised conversation, tokenised (method §5.2): the instruction (every turn but the last
 * assistant reply, with the generation prompt) is fused except its last token; the reply is learned.
 *
 * @param receiverIds        the whole conversation in the receiver's tokens, length F
 * @param sharerIds          what the sharer reads, same length (the receiver's ids for same-tokenizer pairs)
 * @param instructionLength  I: tokens before the reply; labels start at position I
 */
public record TrainingExample(int[] receiverIds, int[] sharerIds, int instructionLength) {
    public TrainingExample {
        if (sharerIds.length != receiverIds.length) {
            throw new IllegalArgumentException("sharer and receiver ids differ in length: align them first");
        }
        if (instructionLength < 2 || instructionLength >= receiverIds.length) {
            throw new IllegalArgumentException("an example needs an instruction of at least 2 tokens and a reply,"
                    + " got I=" + instructionLength + " of F=" + receiverIds.length);
        }
    }

    public int length() {
        return receiverIds.length;
    }

    /** Supervised tokens: F − I. */
    public int supervisedTokens() {
        return receiverIds.length - instructionLength;
    }
}
