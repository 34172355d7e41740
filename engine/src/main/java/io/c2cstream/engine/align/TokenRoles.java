package io.c2cstream.engine.align;

import io.c2cstream.engine.tokenizer.SpecialTokens;
import io.c2cstream.engine.tokenizer.TextTokenizer;
import java.util.Optional;
import java.util.OptionalInt;

/** The ids of a tokenizer's named special tokens, as the reference aligner sees them. */
final class TokenRoles {

    private TokenRoles() {}

    /**
     * The padding id: the pad token, or else the eos token, which the reference aligner installs as
     * pad for tokenizers without one (Llama 3).
     */
    static OptionalInt pad(TextTokenizer tokenizer) {
        SpecialTokens special = tokenizer.specialTokens();
        return id(special.pad().or(special::eos));
    }

    static OptionalInt eos(TextTokenizer tokenizer) {
        return id(tokenizer.specialTokens().eos());
    }

    static OptionalInt bos(TextTokenizer tokenizer) {
        return id(tokenizer.specialTokens().bos());
    }

    static OptionalInt unk(TextTokenizer tokenizer) {
        return id(tokenizer.specialTokens().unk());
    }

    private static OptionalInt id(Optional<SpecialTokens.Token> token) {
        return token.map(t -> OptionalInt.of(t.id())).orElseGet(OptionalInt::empty);
    }
}
