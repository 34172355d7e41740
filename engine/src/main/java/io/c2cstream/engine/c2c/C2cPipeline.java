package io.c2cstream.engine.c2c;

import io.c2cstream.engine.eval.T2tPrompts;
import io.c2cstream.engine.fuser.C2cFuser;
import io.c2cstream.engine.generate.Generation;
import io.c2cstream.engine.generate.LanguageModel;
import io.c2cstream.engine.generate.SamplingConfig;
import io.c2cstream.engine.tokenizer.ChatMessage;
import java.util.List;

/**
 * One API for every way of answering a prompt (issue "C2C core", point 6): {@code receiver_only},
 * {@code sharer_only}, {@code t2t} (method §6.4) and {@code c2c} (method §4), each through the models' own
 * chat templates with thinking disabled, returning the answer and its per-stage timings.
 *
 * <p>The pipeline borrows the models and the fuser; their owner closes them. Closing the pipeline stops the
 * thread its c2c mode prefills sharers on.
 */
public final class C2cPipeline implements AutoCloseable {
    /**
     * Generation settings of the pipeline.
     *
     * @param maxNewTokens        answer length limit (method §6.3 uses 64)
     * @param t2tMaxNewTokens     limit of the sharer's background text in t2t (the reference's default is 1024)
     * @param backgroundPrompt    the t2t request to the sharer, with a {@code {question}} field
     */
    public record Options(int maxNewTokens, int t2tMaxNewTokens, String backgroundPrompt) {
        public static Options reference() {
            return new Options(64, 1024, T2tPrompts.BACKGROUND);
        }
    }

    /**
     * A question to answer: chat messages rendered by each model's template, or raw text encoded as is.
     *
     * @param messages          the conversation (null for raw text)
     * @param rawText           text without a chat template (null for messages)
     * @param backgroundSubject what the t2t sharer is asked about, e.g. the question without its options
     */
    public record Request(List<ChatMessage> messages, String rawText, String backgroundSubject) {
        public Request {
            if ((messages == null) == (rawText == null)) {
                throw new IllegalArgumentException("a request is either chat messages or raw text, exactly one");
            }
            messages = messages == null ? null : List.copyOf(messages);
        }

        /** One user message, as method §6.2 evaluates. */
        public Request(String userMessage, String backgroundSubject) {
            this(List.of(ChatMessage.user(userMessage)), null, backgroundSubject);
        }
    }

    /**
     * An answer.
     *
     * @param sharerText the sharer's background text (t2t only, else empty)
     * @param latencyMs  the whole call, templating and tokenisation of t2t's second stage included (method §6.5)
     */
    public record Answer(Mode mode, String text, int[] tokens, Generation.FinishReason finishReason, StageTimings timings,
                         String sharerText, double latencyMs) {}

    private final LanguageModel receiver;
    private final LanguageModel sharer;
    private final C2cGenerator c2c;
    private final PairPrompts prompts;

    /**
     * @param sharer null when only {@code receiver_only} is wanted
     * @param fuser  null when {@code c2c} is not wanted
     */
    public C2cPipeline(LanguageModel receiver, LanguageModel sharer, C2cFuser fuser, Options options) {
        this.receiver = receiver;
        this.sharer = sharer;
        if (fuser != null && sharer == null) {
            throw new IllegalArgumentException("a fuser needs its sharer model");
        }
        this.c2c = fuser == null ? null
                : new C2cGenerator(receiver.model(), List.of(new C2cGenerator.Sharer(sharer.model(), fuser)),
                        C2cGenerator.FusionMode.valueOf(fuser.config().fusionMode().toUpperCase(java.util.Locale.ROOT)),
                        receiver.generator());
        this.prompts = new PairPrompts(receiver, sharer, fuser == null ? null : fuser.config(), options);
    }

    /** How this pipeline builds every mode's prompts. */
    public PairPrompts prompts() {
        return prompts;
    }

    public Answer run(Request request, Mode mode) {
        if (mode.needsSharer() && sharer == null || mode == Mode.C2C && c2c == null) {
            throw new IllegalArgumentException("mode " + mode.wireName() + " needs a sharer" + (mode == Mode.C2C
                    ? " and a fuser" : "") + "; load them (--sharer, --fuser) or ask for receiver_only");
        }
        long start = System.nanoTime();
        return switch (mode) {
            case RECEIVER_ONLY -> single(receiver, request, mode, start);
            case SHARER_ONLY -> single(sharer, request, mode, start);
            case T2T -> textToText(request, start);
            case C2C -> cacheToCache(request, start);
        };
    }

    private Answer single(LanguageModel model, Request request, Mode mode, long start) {
        Generation g = model.generator().generate(prompts.answerIds(model, request), answerSampling(model));
        StageTimings t = mode == Mode.SHARER_ONLY ? new StageTimings(g.prefillMillis(), 0, 0, g.decodeMillis(), 0)
                : new StageTimings(0, g.prefillMillis(), 0, g.decodeMillis(), 0);
        return new Answer(mode, g.text(), g.tokens(), g.finishReason(), t, "", millisSince(start));
    }

    /** Stage 1: the sharer writes background; stage 2: the receiver answers after reading it (method §6.4). */
    private Answer textToText(Request request, long start) {
        Generation background = sharer.generator().generate(prompts.backgroundIds(request), prompts.backgroundSampling());
        long sharerDone = System.nanoTime();
        Generation g = receiver.generator().generate(prompts.t2tAnswerIds(request, background.text()),
                answerSampling(receiver));
        double sharerMs = (sharerDone - start) / 1e6;
        double receiverPrefillMs = millisSince(sharerDone) - g.decodeMillis();
        return new Answer(Mode.T2T, g.text(), g.tokens(), g.finishReason(),
                new StageTimings(0, receiverPrefillMs, 0, g.decodeMillis(), sharerMs), background.text(), millisSince(start));
    }

    private Answer cacheToCache(Request request, long start) {
        C2cGenerator.Result r = c2c.generate(prompts.c2cPrompt(request), answerSampling(receiver));
        Generation g = r.generation();
        return new Answer(Mode.C2C, g.text(), g.tokens(), g.finishReason(), r.timings(), "", millisSince(start));
    }

    private SamplingConfig answerSampling(LanguageModel model) {
        return prompts.answerSampling(model, prompts.options().maxNewTokens());
    }

    private static double millisSince(long start) {
        return (System.nanoTime() - start) / 1e6;
    }

    @Override
    public void close() {
        if (c2c != null) {
            c2c.close();
        }
    }
}
